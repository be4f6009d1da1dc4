/**
 * The organiser console: prerendered as empty shells (no server rendering: everything it shows
 * needs the organiser's token, which exists only in the browser's memory).
 */
export const ssr = false;
