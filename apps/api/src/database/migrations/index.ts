import { InitialSchema1764187200000 } from './1764187200000-InitialSchema.js';

/** Every migration, in order. TypeORM runs the pending ones at boot. */
export const MIGRATIONS = [InitialSchema1764187200000];
