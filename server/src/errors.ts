// The error every layer throws for a request it cannot serve: the HTTP status it answers with, a
// stable code, a message naming what is wrong and, for bad input, the offending parameter.
// http/errors.ts turns it into the JSON answer.
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param?: string,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}
