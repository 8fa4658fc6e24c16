import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import type { RegistryChange } from '@muckwatch/contracts';
import { DomainEvents } from '../../events/domain-events.js';

/**
 * Registry changes, published after each committed write as `registry.changed` on the domain event
 * bus, which carries them to every API instance (ClusterBus): the rule engine (issue #4), the live
 * truck directory and the control policies subscribe and reload what changed, so a change made on
 * any instance takes effect on all within seconds without a restart. `changes$` is that event as an
 * observable, for rxjs pipelines.
 */
@Injectable()
export class RegistryChanges implements OnApplicationShutdown {
  private readonly subject = new Subject<RegistryChange>();
  private readonly unsubscribe: () => void;

  constructor(private readonly events: DomainEvents) {
    this.unsubscribe = events.subscribe('registry.changed', (change) => this.subject.next(change));
  }

  get changes$(): Observable<RegistryChange> {
    return this.subject.asObservable();
  }

  publish(change: RegistryChange): void {
    this.events.publish('registry.changed', change);
  }

  onApplicationShutdown(): void {
    this.unsubscribe();
    this.subject.complete();
  }
}
