import { Module } from '@nestjs/common';
import { CommandsModule } from '../commands/commands.module.js';
import { IngestModule } from '../ingest/ingest.module.js';
import { TerminalCredentialsModule } from '../terminal-credentials/terminal-credentials.module.js';
import { Jt808Door } from './jt808-door.js';

/** The JT/T 808 door into the fix pipeline, and its command downlink. */
@Module({
  imports: [IngestModule, TerminalCredentialsModule, CommandsModule],
  providers: [Jt808Door],
  exports: [Jt808Door],
})
export class Jt808Module {}
