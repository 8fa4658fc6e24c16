import { Global, Module } from '@nestjs/common';
import { ClusterBus } from './cluster-bus.js';

/** What makes several API instances one system: the cross-instance event bus. */
@Global()
@Module({ providers: [ClusterBus], exports: [ClusterBus] })
export class ClusterModule {}
