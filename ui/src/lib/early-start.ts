// Imported first by main.tsx: its top level runs before any other module of the bundle, so
// the landing page's requests are on their way while React and the app initialise.
import { startEarlyFetches } from './early-fetch';

if (typeof window !== 'undefined') startEarlyFetches(window.location.pathname);
