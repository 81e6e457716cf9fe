// Types for the parts of the `smpp` package (no types of its own) that the SMS adapter and the
// sandbox SMSC use.
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer, Socket } from 'node:net';

  type Params = Record<string, unknown>;

  interface Pdu {
    command: string;
    command_status: number;
    sequence_number: number;
    [field: string]: unknown;
    response(options?: Params): Pdu;
    isResponse(): boolean;
  }

  interface Session extends EventEmitter {
    socket: Socket;
    send(pdu: Pdu, responseCallback?: (pdu: Pdu) => void, sendCallback?: (pdu: Pdu) => void): boolean;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
    pause(): void;
    resume(): void;
    bind_transceiver(options: Params, callback?: (pdu: Pdu) => void): boolean;
    submit_sm(options: Params, callback?: (pdu: Pdu) => void): boolean;
    deliver_sm(options: Params, callback?: (pdu: Pdu) => void): boolean;
    enquire_link(options?: Params, callback?: (pdu: Pdu) => void): boolean;
    unbind(options?: Params, callback?: (pdu: Pdu) => void): boolean;
  }

  interface Server extends NetServer {
    sessions: Session[];
  }

  interface Smpp {
    connect(options: { host: string; port: number }, listener?: () => void): Session;
    createServer(options: Params, listener?: (session: Session) => void): Server;
    addTLV(tag: string, options: { id: number; type: unknown }): void;
    PDU: new (command: string, options?: Params) => Pdu;
    types: { tlv: { cstring: unknown; int8: unknown; int16: unknown } };
    [constant: string]: unknown;
  }

  const smpp: Smpp;
  export default smpp;
  export type { Pdu, Session, Server };
}
