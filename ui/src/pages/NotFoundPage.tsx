import { Link } from 'react-router';

export const NotFoundPage = () => (
  <main className="main">
    <h1>Page not found</h1>
    <p>
      <Link to="/ui/flows">Go to the flows</Link>
    </p>
  </main>
);
