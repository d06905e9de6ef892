/** Every migration, in order. Migrations never import src/: history must not change when entities do. */
import { InitialSchema1764400000000 } from './1764400000000-InitialSchema';

export const MIGRATIONS = [InitialSchema1764400000000];
