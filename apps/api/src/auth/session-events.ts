import { Injectable } from '@nestjs/common';
import { Observable } from 'rxjs';
import { DomainEvents, type DomainEventMap } from '../events/domain-events.js';

/** A session ended or a user changed: holders of live connections must be checked again now. */
export type SessionChange = DomainEventMap['session.changed'];

/**
 * Session and user changes as `session.changed` on the domain event bus, which carries them to
 * every API instance (ClusterBus): a console connected to another instance is checked within a
 * moment, not at its periodic recheck.
 */
@Injectable()
export class SessionEvents {
  readonly changes: Observable<SessionChange>;

  constructor(private readonly events: DomainEvents) {
    this.changes = new Observable((subscriber) => events.subscribe('session.changed', (change) => subscriber.next(change)));
  }

  changed(change: SessionChange): void {
    this.events.publish('session.changed', change);
  }
}
