import { Injectable, type NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { buildAssetMap, contentTypeOf } from './console-assets';

/**
 * Serves the compliance console (public/) and the vega builds. Only GET/HEAD of a path in the asset map is
 * answered; everything else (the /v1 API, /health, /docs, /openapi.json) passes through untouched.
 */
@Injectable()
export class ConsoleStaticMiddleware implements NestMiddleware {
  private readonly assets = buildAssetMap(__dirname);

  use(req: Request, res: Response, next: NextFunction): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const path = (req.originalUrl || req.url).split(/[?#]/, 1)[0] ?? '';
    const file = this.assets.get(path);
    if (!file) return next();
    res.setHeader('Content-Type', contentTypeOf(file));
    // The console is small; always revalidate so a deploy is picked up at once.
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(file, { dotfiles: 'deny' }, (err) => {
      if (err && !res.headersSent) next(err);
    });
  }
}
