import { Module } from '@nestjs/common';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';
import { MosquittoDynsec } from '../broker/mosquitto-dynsec.js';
import { INFRASTRUCTURE, type Infrastructure } from '../infrastructure.js';
import { TerminalModelsModule } from '../registry/terminal-models/terminal-models.module.js';
import { BrokerAccess } from './broker-access.js';
import { BrokerRefusals } from './broker-refusals.js';
import { Jt808AuthCodeController } from './jt808-auth-code.controller.js';
import { Jt808AuthService } from './jt808-auth.service.js';
import { TerminalCredentialsController } from './terminal-credentials.controller.js';
import { TerminalCredentialsService } from './terminal-credentials.service.js';

/**
 * Terminals' credentials: MQTT (username = terminal id, secret) and JT/T 808 auth codes. Exports
 * Jt808AuthService for the JT/T 808 gateway (register / authenticate / modelFor).
 */
@Module({
  imports: [TerminalModelsModule],
  controllers: [TerminalCredentialsController, Jt808AuthCodeController],
  providers: [
    {
      provide: MosquittoDynsec,
      inject: [API_CONFIG, INFRASTRUCTURE],
      useFactory: (config: ApiConfig, infra: Infrastructure): MosquittoDynsec | null =>
        config.broker.kind === 'external' && config.broker.dynsec ? new MosquittoDynsec(infra.mqttUrl, config.broker.dynsec) : null,
    },
    TerminalCredentialsService,
    BrokerRefusals,
    BrokerAccess,
    Jt808AuthService,
  ],
  exports: [TerminalCredentialsService, Jt808AuthService],
})
export class TerminalCredentialsModule {}
