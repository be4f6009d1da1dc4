/** Every page is prerendered to static HTML; URLs end with a slash (`/de/sign/`). */
export const prerender = true;
export const trailingSlash = 'always';
