/** `build/404.html`: static, no JavaScript, served by the local server and CloudFront for unknown paths. */
export const csr = false;
export const trailingSlash = 'never';
