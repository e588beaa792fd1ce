import type { NextFunction, Request, RequestHandler, Response } from 'express';
import compression from 'compression';

/**
 * Pages, JSON and CSV compressed when the client accepts it (documents and pictures are not).
 * A request that accepts no encoding (most programs calling the API, and the console's own
 * calls over loopback, which ask for identity) can never get a compressed answer, so it skips
 * the wrapping of its response that compression() does per request; its answer still says that
 * it varies with Accept-Encoding, for the caches in between.
 */
export function compressedResponses(): RequestHandler {
  const compress = compression();
  return (req: Request, res: Response, next: NextFunction): void => {
    const accepted = req.headers['accept-encoding'];
    if (accepted === undefined || accepted === '' || accepted === 'identity') {
      res.vary('Accept-Encoding');
      return next();
    }
    compress(req, res, next);
  };
}
