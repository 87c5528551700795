// Security headers on every response, and CORS: closed unless CORS_ORIGINS names the origins
// that may call the API from a browser (a dashboard served from another host).
import type { RequestHandler } from 'express';

/** The dashboard loads only its own scripts and styles, and talks only to its own server. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  // ECharts and React set element styles at run time.
  "style-src 'self' 'unsafe-inline'",
  // The favicon and chart PNG exports are data: URLs.
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const securityHeaders: RequestHandler = (req, res, next) => {
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  // A wall's URL carries its kiosk token until the page has read it: never send it on.
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
  res.setHeader('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), payment=(), usb=()');
  // Honoured only over HTTPS (behind a TLS-terminating proxy); harmless over plain HTTP.
  res.setHeader('Strict-Transport-Security', 'max-age=15552000');
  // Figures and tokens must not stay in browser or proxy caches.
  if (req.path.startsWith('/api/')) res.setHeader('Cache-Control', 'no-store');
  next();
};

/** Origins (CORS_ORIGINS, e.g. https://a.example) whose pages may call the API. Default: none. */
export function corsFrom(origins: string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.get('origin');
    if (origin && allowed.has(origin)) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PATCH, PUT, DELETE');
      res.setHeader('Access-Control-Max-Age', '600');
    }
    res.vary('Origin');
    // A preflight gets its answer here; without the headers above the browser refuses the call.
    if (req.method === 'OPTIONS' && origin) return void res.status(204).end();
    next();
  };
}
