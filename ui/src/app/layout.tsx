import { useEffect, useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router-dom';
import { HealthIndicator } from '@/features/health/components/health-indicator';

const NAV = [
  { to: '/', label: 'Overview', end: true },
  { to: '/runs', label: 'Runs' },
  { to: '/clusters', label: 'Clusters' },
  { to: '/flaky', label: 'Flaky tests' },
  { to: '/incidents', label: 'Incidents' },
  { to: '/repos', label: 'Repositories' },
];

type Theme = 'system' | 'light' | 'dark';

function useTheme(): [Theme, (t: Theme) => void] {
  const [theme, setTheme] = useState<Theme>(() => (localStorage.getItem('sentinel-theme') as Theme) || 'system');
  useEffect(() => {
    if (theme === 'system') document.documentElement.removeAttribute('data-theme');
    else document.documentElement.setAttribute('data-theme', theme);
    localStorage.setItem('sentinel-theme', theme);
  }, [theme]);
  return [theme, setTheme];
}

export function Layout() {
  const [theme, setTheme] = useTheme();
  const location = useLocation();
  // Move focus to the page's heading on navigation, for keyboard and screen-reader users.
  useEffect(() => {
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [location.pathname]);
  return (
    <>
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <header className="app-header no-print">
        <span className="brand">Sentinel Pipeline</span>
        <nav aria-label="Main">
          <ul>
            {NAV.map((n) => (
              <li key={n.to}>
                <NavLink to={n.to} end={n.end}>
                  {n.label}
                </NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <HealthIndicator />
        <label className="theme">
          <span className="visually-hidden">Colour scheme</span>
          <select value={theme} onChange={(e) => setTheme(e.target.value as Theme)}>
            <option value="system">system</option>
            <option value="light">light</option>
            <option value="dark">dark</option>
          </select>
        </label>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
