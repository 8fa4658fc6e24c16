import { Module } from '@nestjs/common';
import { CommandDoors } from './command-doors.js';
import { CommandsController } from './commands.controller.js';
import { CommandsRepository } from './commands.repository.js';
import { CommandsService } from './commands.service.js';
import { ControlPolicies } from './control-policies.js';
import { MqttCommandDoor } from './mqtt-command-door.js';

/**
 * Remote control (智能管控): command records, delivery through the doors (MQTT here; the JT/T 808
 * gateway registers its own door with CommandDoors), the control policies and their switches.
 */
@Module({
  controllers: [CommandsController],
  providers: [CommandsRepository, CommandDoors, CommandsService, ControlPolicies, MqttCommandDoor],
  exports: [CommandDoors, CommandsService, ControlPolicies],
})
export class CommandsModule {}
