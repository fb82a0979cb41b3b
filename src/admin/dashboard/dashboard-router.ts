import express, { Router } from 'express';
import { fileURLToPath } from 'node:url';

/** The page and its two assets; plain files, no build step. */
const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

/** Assets change only with a deploy; a short cache keeps a phone on a slow line from refetching them on every visit. */
const ASSET_MAX_AGE_MS = 5 * 60 * 1000;

/**
 * GET /admin: the staff dashboard (a static page; every piece of data comes from /admin/api
 * with the token the user types in). GET /admin/assets/*: its script and style sheet.
 */
export function createDashboardRouter(): Router {
  const router = Router();
  router.get(['/admin', '/admin/'], (_req, res, next) => {
    // The page is tiny and changes with the service: never serve a stale one.
    res.set('cache-control', 'no-store');
    res.sendFile('index.html', { root: PUBLIC_DIR, cacheControl: false, lastModified: false }, (error) => {
      if (error) next(error);
    });
  });
  router.use('/admin/assets', express.static(PUBLIC_DIR, { index: false, maxAge: ASSET_MAX_AGE_MS, redirect: false }));
  return router;
}
