import { Injectable } from '@nestjs/common';
import { Subject, type Observable } from 'rxjs';

/** A session ended or a user changed: holders of live connections must be checked again now. */
export type SessionChange = { sessionId: string } | { userId: string };

/** In-process notice of session and user changes (other API instances catch up by periodic recheck). */
@Injectable()
export class SessionEvents {
  private readonly subject = new Subject<SessionChange>();
  readonly changes: Observable<SessionChange> = this.subject.asObservable();

  changed(change: SessionChange): void {
    this.subject.next(change);
  }
}
