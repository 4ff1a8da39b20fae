// The entry: a few hundred bytes that start the landing page's API requests (GET /overview on
// `/`) and then load the application, so the request and the server's answer overlap the
// download and parsing of the app bundle instead of following them.
import './lib/early-start';
import './styles.css';

void import('./boot');
