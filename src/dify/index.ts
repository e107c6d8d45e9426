export { DifyApiError, DifyTransportError } from './errors.js';
