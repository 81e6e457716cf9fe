import { describe, expect, it } from 'vitest';
import { classifyStatus, parseReceipt, receiptText } from '../../../src/adapters/sms/index.ts';
import { canMove, messageStateFromParts, nextPartState } from '../../../src/modules/notify/index.ts';
import { canMoveShipment } from '../../../src/modules/post/index.ts';

describe('message status only moves forward', () => {
  it('queued → sending → a final state; never back, never from one final state to another', () => {
    expect(canMove('queued', 'sending')).toBe(true);
    expect(canMove('sending', 'delivered')).toBe(true);
    expect(canMove('sending', 'sending')).toBe(false);
    expect(canMove('delivered', 'sending')).toBe(false);
    expect(canMove('delivered', 'permanent_failure')).toBe(false);
    expect(canMove('temporary_failure', 'delivered')).toBe(false);
  });

  it('parts: repeated and late receipts change nothing; the message is delivered when every part is', () => {
    expect(nextPartState('sending', 'delivered')).toBe('delivered');
    expect(nextPartState('delivered', 'sending')).toBeNull();
    expect(nextPartState('delivered', 'delivered')).toBeNull();
    expect(messageStateFromParts(['delivered', 'sending'])).toBe('sending');
    expect(messageStateFromParts(['delivered', 'delivered'])).toBe('delivered');
    expect(messageStateFromParts(['delivered', 'permanent_failure'])).toBe('permanent_failure');
  });

  it('shipments: forward only, final states final', () => {
    expect(canMoveShipment('created', 'accepted')).toBe(true);
    expect(canMoveShipment('in_transit', 'accepted')).toBe(false);
    expect(canMoveShipment('in_transit', 'failed')).toBe(true);
    expect(canMoveShipment('failed', 'returned')).toBe(true);
    expect(canMoveShipment('delivered', 'returned')).toBe(false);
  });
});

describe('SMPP', () => {
  it('reads delivery receipts from the text or the TLVs', () => {
    const text = receiptText({ id: 'abc123', stat: 'DELIVRD', submitted: new Date('2026-01-05T01:02:00Z'), done: new Date('2026-01-05T01:03:00Z') });
    expect(text).toBe('id:abc123 sub:001 dlvrd:001 submit date:2601050102 done date:2601050103 stat:DELIVRD err:000 text:');
    expect(parseReceipt(text)).toEqual({ providerRef: 'abc123', stat: 'DELIVRD', err: '000', state: 'delivered' });
    expect(parseReceipt('garbage', { receiptedMessageId: 'x9', messageState: 5 })).toMatchObject({ providerRef: 'x9', state: 'permanent_failure' });
    expect(parseReceipt('id:1 stat:ENROUTE')?.state).toBe('sending');
    expect(parseReceipt('id:1 stat:WHATEVER')).toBeNull();
  });

  it('throttling and busy SMSCs are transient; a bad number is permanent; unknown codes are retried', () => {
    expect(classifyStatus(0x58)).toMatchObject({ kind: 'transient', retryAfterMs: 1000 });
    expect(classifyStatus(0x14).kind).toBe('transient');
    expect(classifyStatus(0x0b).kind).toBe('permanent');
    expect(classifyStatus(0x4242).kind).toBe('transient');
  });
});
