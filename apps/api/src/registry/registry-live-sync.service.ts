import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { type Subscription, debounceTime, filter } from 'rxjs';
import { TruckDirectory } from '../live/truck-directory.service.js';
import { RegistryChanges } from './common/registry-changes.service.js';

/** Plates and companies on the live map follow truck, terminal and company changes within a moment. */
@Injectable()
export class RegistryLiveSync implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RegistryLiveSync');
  private subscription: Subscription | null = null;

  constructor(
    private readonly changes: RegistryChanges,
    private readonly directory: TruckDirectory,
  ) {}

  onApplicationBootstrap(): void {
    this.subscription = this.changes.changes$
      .pipe(
        filter((c) => c.resourceType === 'truck' || c.resourceType === 'terminal' || c.resourceType === 'company'),
        debounceTime(100),
      )
      .subscribe(() => {
        this.directory.refresh().catch((error: unknown) => this.logger.warn(`truck directory refresh failed: ${String(error)}`));
      });
  }

  onApplicationShutdown(): void {
    this.subscription?.unsubscribe();
  }
}
