import { Module } from '@nestjs/common';
import { ComplianceModule } from '../compliance/compliance.module.js';
import { LiveModule } from '../live/live.module.js';
import { PositionsModule } from '../positions/positions.module.js';
import { FixPipeline } from './fix-pipeline.js';
import { MqttDoor } from './mqtt-door.js';

/** The fix pipeline and its MQTT door (the JT/T 808 door lives in apps/api/src/jt808). */
@Module({
  imports: [LiveModule, PositionsModule, ComplianceModule],
  providers: [FixPipeline, MqttDoor],
  exports: [FixPipeline, MqttDoor],
})
export class IngestModule {}
