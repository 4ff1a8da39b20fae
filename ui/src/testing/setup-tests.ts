import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@testing-library/react';
import { afterEach } from 'vitest';

// findBy* and waitFor wait up to 10 s (the default 1 s is too short on a loaded machine).
configure({ asyncUtilTimeout: 10000 });

afterEach(() => cleanup());
