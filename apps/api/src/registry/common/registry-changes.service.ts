import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';
import type { RegistryChange } from '@muckwatch/contracts';

/**
 * Registry changes, published in process after each committed write: the rule engine (issue #4)
 * and the live truck directory subscribe and reload what changed, so a change takes effect within
 * seconds without a restart. Several API instances would need a cross-process channel (PostgreSQL
 * LISTEN/NOTIFY) behind the same observable.
 */
@Injectable()
export class RegistryChanges implements OnApplicationShutdown {
  private readonly subject = new Subject<RegistryChange>();

  get changes$(): Observable<RegistryChange> {
    return this.subject.asObservable();
  }

  publish(change: RegistryChange): void {
    this.subject.next(change);
  }

  onApplicationShutdown(): void {
    this.subject.complete();
  }
}
