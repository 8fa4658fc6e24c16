import { Module } from '@nestjs/common';
import { TerminalModelsRepository } from './terminal-models.repository.js';

/**
 * The terminal models' SQL on its own, so the registry (CRUD) and the terminal credentials (the
 * JT/T 808 auth service, which hands the gateway a terminal's mapping) share it without importing
 * each other.
 */
@Module({ providers: [TerminalModelsRepository], exports: [TerminalModelsRepository] })
export class TerminalModelsModule {}
