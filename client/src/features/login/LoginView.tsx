// Sign-in. After signing in the user stays on the URL they opened (a shared link), or lands on
// their home view.
import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { seedAppContext } from '../../shared/metrics/api.ts';
import { followLink, homeOf, navigate, useLocation, withParams } from '../../shared/router.ts';
import { ApiError, login } from '../../shared/api/client.ts';
import { setSession } from '../../shared/api/session.ts';
import { useLang, useT } from '../../shared/i18n.ts';

/** `onSignedIn` hears the page the user is about to see, as soon as the session exists. */
export function LoginView({ onSignedIn }: { onSignedIn?: (href: string) => void } = {}) {
  const t = useT();
  const lang = useLang();
  const { path } = useLocation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const queryClient = useQueryClient();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { session, context } = await login(username.trim(), password);
      // The app-wide answers come with the sign-in, so the page can ask for its own data at once,
      // before anything renders.
      seedAppContext(queryClient, context);
      setSession(session);
      // Stay on the page that was opened (a shared link, the wall, the daily report), unless it was no page at all.
      const standalone = path[0] === 'wall' || path[0] === 'm';
      const goesHome = (path.length < 2 && !standalone) || path[0] === 'login';
      onSignedIn?.(goesHome ? homeOf(session.user) : window.location.href);
      if (goesHome) navigate(homeOf(session.user), { replace: true });
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? t('loginFailed')
          : err instanceof ApiError && err.status === 0
            ? t('offline')
            : String((err as Error).message),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login-page">
      <form className="login-card" onSubmit={submit} aria-labelledby="login-title">
        <div className="login-brand">
          <span className="logo" aria-hidden="true" />
          <h1 id="login-title">{t('appTitle')}</h1>
        </div>
        <p className="subtitle">
          {lang === 'zh' ? '汽车经销商集团经营驾驶舱' : 'Dealer-group operating cockpit'}
        </p>
        <label>
          {t('username')}
          <input
            name="username"
            autoComplete="username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            required
            autoFocus
          />
        </label>
        <label>
          {t('password')}
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            required
          />
        </label>
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? t('signingIn') : t('login')}
        </button>
        <a
          className="lang-switch"
          href={withParams({ lang: lang === 'zh' ? 'en' : null })}
          onClick={followLink}
        >
          {t('language')}
        </a>
      </form>
    </main>
  );
}
