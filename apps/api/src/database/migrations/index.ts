import { InitialSchema1764187200000 } from './1764187200000-InitialSchema.js';
import { AccountsAndAudit1764288000000 } from './1764288000000-AccountsAndAudit.js';
import { TerminalCredentials1764374400000 } from './1764374400000-TerminalCredentials.js';
import { Registry1764460800000 } from './1764460800000-Registry.js';
import { Compliance1764547200000 } from './1764547200000-Compliance.js';
import { RetiredRefreshTokens1764640800000 } from './1764640800000-RetiredRefreshTokens.js';
import { LoginFailures1764641400000 } from './1764641400000-LoginFailures.js';
import { ViolationCases1764720000000 } from './1764720000000-ViolationCases.js';
import { TownLedgers1764806400000 } from './1764806400000-TownLedgers.js';
import { Assessment1764812800000 } from './1764812800000-Assessment.js';
import { TripIndexes1764903600000 } from './1764903600000-TripIndexes.js';
import { ReplayOverviews1764990000000 } from './1764990000000-ReplayOverviews.js';
import { FixSource1765000000000 } from './1765000000000-FixSource.js';
import { TerminalModels1765100000000 } from './1765100000000-TerminalModels.js';
import { TerminalCommands1765008000000 } from './1765008000000-TerminalCommands.js';
import { ClusterSecrets1765150000000 } from './1765150000000-ClusterSecrets.js';
import { AppRole1765200000000 } from './1765200000000-AppRole.js';

/** Every migration, in order. TypeORM runs the pending ones at boot. */
export const MIGRATIONS = [InitialSchema1764187200000, AccountsAndAudit1764288000000, TerminalCredentials1764374400000, Registry1764460800000, Compliance1764547200000, RetiredRefreshTokens1764640800000, LoginFailures1764641400000, ViolationCases1764720000000, TownLedgers1764806400000, Assessment1764812800000, TripIndexes1764903600000, ReplayOverviews1764990000000, FixSource1765000000000, TerminalCommands1765008000000, TerminalModels1765100000000, ClusterSecrets1765150000000, AppRole1765200000000];
