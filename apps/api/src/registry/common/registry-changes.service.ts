import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import type { RegistryChange } from '@muckwatch/contracts';
import { DomainEvents } from '../../events/domain-events.js';

/**
 * Registry changes, published in process after each committed write (also as `registry.changed` on
 * the domain event bus, for listeners that are not rxjs pipelines): the rule engine (issue #4)
 * and the live truck directory subscribe and reload what changed, so a change takes effect within
 * seconds without a restart. Several API instances would need a cross-process channel (PostgreSQL
 * LISTEN/NOTIFY) behind the same observable.
 */
@Injectable()
export class RegistryChanges implements OnApplicationShutdown {
  private readonly subject = new Subject<RegistryChange>();

  constructor(private readonly events: DomainEvents) {}

  get changes$(): Observable<RegistryChange> {
    return this.subject.asObservable();
  }

  publish(change: RegistryChange): void {
    this.subject.next(change);
    this.events.publish('registry.changed', change);
  }

  onApplicationShutdown(): void {
    this.subject.complete();
  }
}
