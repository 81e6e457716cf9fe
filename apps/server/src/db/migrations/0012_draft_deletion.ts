// Frozen in time: this migration never imports application code.
import { sql, type Kysely } from 'kysely';

/**
 * A citizen may delete an online draft. Its fee items were copied from the procedure when the
 * payments panel first asked for them, and the app role may not delete fee rows (money records
 * are kept), so this one function does it, for a dossier that never left the draft state and that
 * no payment or exemption touched.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE FUNCTION discard_draft_fees(p_dossier uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM dossiers WHERE id = p_dossier AND status = 'draft' AND last_seq = 0) THEN
        RAISE EXCEPTION 'dossier % is not a draft', p_dossier USING ERRCODE = 'insufficient_privilege';
      END IF;
      IF EXISTS (SELECT 1 FROM payments WHERE dossier_id = p_dossier)
        OR EXISTS (SELECT 1 FROM dossier_fees WHERE dossier_id = p_dossier AND (payment_id IS NOT NULL OR exempted_at IS NOT NULL)) THEN
        RAISE EXCEPTION 'dossier % has payments or exemptions', p_dossier USING ERRCODE = 'insufficient_privilege';
      END IF;
      DELETE FROM dossier_fees WHERE dossier_id = p_dossier;
      DELETE FROM dossier_fee_snapshots WHERE dossier_id = p_dossier;
    END $$`.execute(db);
  await sql`COMMENT ON FUNCTION discard_draft_fees(uuid) IS 'Deletes the unpaid fee copies of a draft being deleted (the app role cannot delete fee rows itself); refuses anything but an untouched draft'`.execute(db);
  await sql`REVOKE ALL ON FUNCTION discard_draft_fees(uuid) FROM PUBLIC`.execute(db);
  await sql`GRANT EXECUTE ON FUNCTION discard_draft_fees(uuid) TO motcua_app`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP FUNCTION IF EXISTS discard_draft_fees(uuid)`.execute(db);
}
