/** An error with the HTTP answer it becomes: status, a stable code, a message for the caller, extra headers. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const isHttpError = (e: unknown): e is HttpError => e instanceof HttpError;
