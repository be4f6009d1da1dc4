import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one structured JSON logger (Powertools). Rule of the house: log codes, counts, field
 * names and durations; never a request body, a header value, an IP address or an error message
 * from outside our code. Personal data has no path into a log line: handlers never pass the
 * event or the statement to the logger, and events are never logged (`logEvent: false`).
 */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'ocs' });
