// ALTCHA ships typings for its language modules by base name only; the regional variants we use
// register strings as a side effect and export nothing.
declare module 'altcha/i18n/es-es';
declare module 'altcha/i18n/fr-fr';
declare module 'altcha/i18n/pt-pt';
