// Frozen in time: this migration never imports application code.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE procedure_fields (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9._-]{1,40}$'),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
      name_en text,
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`COMMENT ON TABLE procedure_fields IS 'Fields (lĩnh vực) grouping procedures, e.g. Hộ tịch'`.execute(db);

  await sql`
    CREATE TABLE procedures (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      code text NOT NULL UNIQUE CHECK (code ~ '^[0-9][.][0-9]{6}([.][0-9A-Z]{2,3}([.][0-9A-Z]{2,3}){3})?$'),
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 1000),
      field_id uuid NOT NULL REFERENCES procedure_fields(id),
      levels text[] NOT NULL CHECK (cardinality(levels) >= 1 AND levels <@ ARRAY['central','province','district','commune']),
      applicants text[] NOT NULL CHECK (cardinality(applicants) >= 1 AND applicants <@ ARRAY['citizen','business','organisation']),
      steps text NOT NULL CHECK (length(steps) >= 1),
      methods text[] NOT NULL CHECK (cardinality(methods) >= 1 AND methods <@ ARRAY['in_person','online','post']),
      online_level text NOT NULL CHECK (online_level IN ('full','partial','none')),
      processing_value integer NOT NULL CHECK (processing_value BETWEEN 1 AND 1000),
      processing_unit text NOT NULL CHECK (processing_unit IN ('working_days','working_hours')),
      legal_basis text NOT NULL CHECK (length(legal_basis) >= 1),
      result_documents jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(result_documents) = 'array'),
      online_form jsonb CHECK (online_form IS NULL OR jsonb_typeof(online_form -> 'schema') = 'object'),
      process_id uuid,
      published boolean NOT NULL DEFAULT false,
      published_at timestamptz,
      search_text text NOT NULL DEFAULT '',
      search_name text NOT NULL DEFAULT '',
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now(),
      CHECK ((online_level = 'none') = NOT ('online' = ANY (methods)))
    )`.execute(db);
  await sql`COMMENT ON COLUMN procedures.code IS 'Code in the national procedure database, e.g. 1.001612 or 2.000123.000.00.00.H56'`.execute(db);
  await sql`COMMENT ON COLUMN procedures.levels IS 'Levels of government that carry it out (cấp thực hiện); district only for pre-2025 data'`.execute(db);
  await sql`COMMENT ON COLUMN procedures.online_level IS 'Decree 42/2022 online service level: full = toàn trình, partial = một phần, none = not online'`.execute(db);
  await sql`COMMENT ON COLUMN procedures.processing_value IS 'Statutory processing time, in processing_unit (working days, or working hours for same-day procedures)'`.execute(db);
  await sql`COMMENT ON COLUMN procedures.result_documents IS 'Array of {name, paper, electronic}: documents the applicant receives'`.execute(db);
  await sql`COMMENT ON COLUMN procedures.online_form IS '{schema, uiSchema}: JSON Schema of the online form, validated with Ajv; null when not offered online'`.execute(db);
  await sql`COMMENT ON COLUMN procedures.process_id IS 'Internal process (quy trình nội bộ) of the dossier workflow; set by the dossier module'`.execute(db);
  await sql`COMMENT ON COLUMN procedures.published IS 'Visible to the public; procedures are unpublished, never deleted'`.execute(db);
  await sql`COMMENT ON COLUMN procedures.search_text IS 'Maintained by triggers: the distinct words of code, name, field and agency names, unaccented, lower case, space-padded; trigram-indexed'`.execute(db);
  await sql`COMMENT ON COLUMN procedures.search_name IS 'Maintained by trigger: the words of the name in order, unaccented, lower case, space-padded; used to rank results'`.execute(db);
  await sql`CREATE INDEX procedures_search_idx ON procedures USING gin (search_text gin_trgm_ops) WITH (gin_pending_list_limit = 64)`.execute(db);
  // A small pending list: bulk imports still batch their index updates, but a large one would
  // make the planner price the index too high (and skip it) until the next vacuum.
  // Keep the rows a broad search scans narrow: long texts (steps, legal basis, forms) move to
  // TOAST early, while the columns the search reads stay inline.
  await sql`ALTER TABLE procedures SET (toast_tuple_target = 256)`.execute(db);
  await sql`
    ALTER TABLE procedures ALTER COLUMN search_text SET STORAGE MAIN, ALTER COLUMN search_name SET STORAGE MAIN,
      ALTER COLUMN name SET STORAGE MAIN, ALTER COLUMN code SET STORAGE MAIN`.execute(db);
  await sql`CREATE INDEX procedures_field_idx ON procedures (field_id)`.execute(db);

  await sql`
    CREATE TABLE procedure_agencies (
      procedure_id uuid NOT NULL REFERENCES procedures(id),
      agency_id uuid NOT NULL REFERENCES agencies(id),
      kind text NOT NULL CHECK (kind IN ('receiving','resolving')),
      PRIMARY KEY (procedure_id, kind, agency_id)
    )`.execute(db);
  await sql`COMMENT ON COLUMN procedure_agencies.kind IS 'receiving: where the dossier is filed (nơi tiếp nhận); resolving: who decides (cơ quan giải quyết)'`.execute(db);
  await sql`CREATE INDEX procedure_agencies_agency_idx ON procedure_agencies (agency_id)`.execute(db);

  await sql`
    CREATE TABLE procedure_templates (
      sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
      content bytea NOT NULL,
      mime text NOT NULL,
      size integer NOT NULL CHECK (size = octet_length(content) AND size BETWEEN 1 AND 5242880),
      created_at timestamptz NOT NULL DEFAULT now()
    )`.execute(db);
  await sql`COMMENT ON TABLE procedure_templates IS 'Content-addressed template files (mẫu đơn, tờ khai); kept for history even when no component points to them'`.execute(db);
  await sql`COMMENT ON COLUMN procedure_templates.mime IS 'Media type detected from the magic bytes, not the one the uploader claimed'`.execute(db);

  await sql`
    CREATE TABLE procedure_components (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      procedure_id uuid NOT NULL REFERENCES procedures(id),
      sort_order integer NOT NULL,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 1000),
      form text NOT NULL CHECK (form IN ('original','certified_copy','copy')),
      quantity integer NOT NULL CHECK (quantity BETWEEN 1 AND 100),
      required boolean NOT NULL,
      reusable boolean NOT NULL DEFAULT false,
      template_sha256 text REFERENCES procedure_templates(sha256),
      template_filename text,
      CHECK ((template_sha256 IS NULL) = (template_filename IS NULL))
    )`.execute(db);
  await sql`COMMENT ON COLUMN procedure_components.form IS 'original = bản chính, certified_copy = bản sao chứng thực, copy = bản sao'`.execute(db);
  await sql`COMMENT ON COLUMN procedure_components.reusable IS 'Can be reused from the applicant''s earlier dossiers or national databases (Decision 766 indicator 4.3)'`.execute(db);
  await sql`COMMENT ON COLUMN procedure_components.template_filename IS 'Download name of the template; the bytes are in procedure_templates'`.execute(db);
  await sql`CREATE INDEX procedure_components_procedure_idx ON procedure_components (procedure_id, sort_order)`.execute(db);

  await sql`
    CREATE TABLE procedure_fees (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      procedure_id uuid NOT NULL REFERENCES procedures(id),
      sort_order integer NOT NULL,
      name text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
      amount_vnd bigint NOT NULL CHECK (amount_vnd BETWEEN 0 AND 1000000000000),
      exemptions text,
      payable_online boolean NOT NULL,
      payable_when text NOT NULL CHECK (payable_when IN ('before_reception','before_processing','before_result'))
    )`.execute(db);
  await sql`COMMENT ON COLUMN procedure_fees.amount_vnd IS 'Whole VND; 0 for an item published as free'`.execute(db);
  await sql`COMMENT ON COLUMN procedure_fees.payable_when IS 'Stage by which it is paid: before reception, before processing, or before the result is returned'`.execute(db);
  await sql`CREATE INDEX procedure_fees_procedure_idx ON procedure_fees (procedure_id, sort_order)`.execute(db);

  await sql`
    CREATE TABLE procedure_history (
      id bigserial PRIMARY KEY,
      procedure_id uuid NOT NULL REFERENCES procedures(id),
      at timestamptz NOT NULL DEFAULT now(),
      actor_id uuid,
      actor_name text,
      action text NOT NULL CHECK (action IN ('created','updated','published','unpublished','template_uploaded','imported')),
      diff jsonb NOT NULL DEFAULT '{}'
    )`.execute(db);
  await sql`COMMENT ON TABLE procedure_history IS 'Append-only: one row per change, written in the transaction of the change'`.execute(db);
  await sql`COMMENT ON COLUMN procedure_history.diff IS 'Changed fields as {field: {from, to}}; a creation holds {field: {to}}'`.execute(db);
  await sql`CREATE INDEX procedure_history_procedure_idx ON procedure_history (procedure_id, id)`.execute(db);

  await sql`
    CREATE TABLE import_jobs (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      status text NOT NULL CHECK (status IN ('validating','writing','succeeded','rejected','failed')),
      filename text NOT NULL,
      format text NOT NULL CHECK (format IN ('xlsx','csv')),
      processed integer NOT NULL DEFAULT 0,
      total integer NOT NULL DEFAULT 0,
      result jsonb,
      created_by uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz
    )`.execute(db);
  await sql`COMMENT ON COLUMN import_jobs.processed IS 'Procedure rows validated, then written; committed apart from the import itself so progress is visible'`.execute(db);
  await sql`COMMENT ON COLUMN import_jobs.result IS '{counts, rows}: the row-by-row report, rejected rows with their reasons'`.execute(db);
  await sql`CREATE INDEX import_jobs_created_idx ON import_jobs (created_by, created_at)`.execute(db);

  // Search. `search_text` holds the distinct words (accents removed, lower case) of the code,
  // name, field and agency names, padded with spaces so that `LIKE '% word %'` matches whole
  // words through the trigram index. Triggers keep it current whatever writes (API, import,
  // seed, SQL). Typos are resolved against the lexicon of all those words (trigram similarity).
  await sql`
    CREATE FUNCTION catalog_words(t text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
      SELECT ' ' || coalesce(string_agg(DISTINCT w, ' '), '') || ' '
      FROM (SELECT btrim(x, '.') AS w FROM regexp_split_to_table(lower(f_unaccent(t)), '[^a-z0-9.]+') AS x) s
      WHERE w ~ '[a-z0-9]' AND length(w) <= 60
    $$`.execute(db);
  await sql`
    CREATE FUNCTION procedure_search_text(p_id uuid, p_code text, p_name text, p_field uuid) RETURNS text
    LANGUAGE sql STABLE AS $$
      SELECT catalog_words(concat_ws(' ', p_code, p_name,
        (SELECT f.name FROM procedure_fields f WHERE f.id = p_field),
        (SELECT string_agg(a.name || ' ' || a.short_name || ' ' || a.code, ' ')
           FROM procedure_agencies pa JOIN agencies a ON a.id = pa.agency_id WHERE pa.procedure_id = p_id)))
    $$`.execute(db);
  await sql`
    CREATE FUNCTION procedures_search_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      NEW.search_text := procedure_search_text(NEW.id, NEW.code, NEW.name, NEW.field_id);
      NEW.search_name := ' ' || btrim(regexp_replace(lower(f_unaccent(NEW.name)), '[^a-z0-9]+', ' ', 'g')) || ' ';
      RETURN NEW;
    END $$`.execute(db);
  await sql`CREATE TRIGGER procedures_search BEFORE INSERT OR UPDATE OF code, name, field_id ON procedures FOR EACH ROW EXECUTE FUNCTION procedures_search_refresh()`.execute(db);
  await sql`
    CREATE FUNCTION procedure_agencies_added() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE procedures p SET search_text = procedure_search_text(p.id, p.code, p.name, p.field_id)
        WHERE p.id IN (SELECT DISTINCT procedure_id FROM new_rows);
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE FUNCTION procedure_agencies_removed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE procedures p SET search_text = procedure_search_text(p.id, p.code, p.name, p.field_id)
        WHERE p.id IN (SELECT DISTINCT procedure_id FROM old_rows);
      RETURN NULL;
    END $$`.execute(db);
  await sql`CREATE TRIGGER procedure_agencies_search_ins AFTER INSERT ON procedure_agencies REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION procedure_agencies_added()`.execute(db);
  await sql`CREATE TRIGGER procedure_agencies_search_del AFTER DELETE ON procedure_agencies REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION procedure_agencies_removed()`.execute(db);
  await sql`
    CREATE FUNCTION procedure_fields_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE procedures p SET search_text = procedure_search_text(p.id, p.code, p.name, p.field_id) WHERE p.field_id = NEW.id;
      RETURN NULL;
    END $$`.execute(db);
  await sql`CREATE TRIGGER procedure_fields_search AFTER UPDATE OF name ON procedure_fields FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION procedure_fields_renamed()`.execute(db);
  await sql`
    CREATE FUNCTION procedure_agency_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE procedures p SET search_text = procedure_search_text(p.id, p.code, p.name, p.field_id)
        WHERE p.id IN (SELECT procedure_id FROM procedure_agencies WHERE agency_id = NEW.id);
      RETURN NULL;
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER agencies_procedure_search AFTER UPDATE OF name, short_name, code ON agencies FOR EACH ROW
    WHEN (OLD.name IS DISTINCT FROM NEW.name OR OLD.short_name IS DISTINCT FROM NEW.short_name OR OLD.code IS DISTINCT FROM NEW.code)
    EXECUTE FUNCTION procedure_agency_renamed()`.execute(db);

  await sql`
    CREATE TABLE procedure_search_words (
      word text COLLATE "C" PRIMARY KEY
    )`.execute(db);
  await sql`COMMENT ON TABLE procedure_search_words IS 'Lexicon of every word ever in procedures.search_text; a misspelt query word is resolved to its nearest words here'`.execute(db);
  await sql`COMMENT ON COLUMN procedure_search_words.word IS 'C collation: the primary key also answers prefix ranges (word >= w AND word < w || ''~'')'`.execute(db);
  await sql`CREATE INDEX procedure_search_words_trgm_idx ON procedure_search_words USING gin (word gin_trgm_ops)`.execute(db);
  await sql`
    CREATE FUNCTION procedure_search_words_add() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO procedure_search_words (word)
        SELECT DISTINCT w FROM new_rows, regexp_split_to_table(btrim(new_rows.search_text), ' ') AS w WHERE w <> '' ORDER BY w
        ON CONFLICT DO NOTHING;
      RETURN NULL;
    END $$`.execute(db);
  await sql`CREATE TRIGGER procedures_lexicon_ins AFTER INSERT ON procedures REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION procedure_search_words_add()`.execute(db);
  await sql`CREATE TRIGGER procedures_lexicon_upd AFTER UPDATE ON procedures REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION procedure_search_words_add()`.execute(db);

  // Procedures are unpublished, never deleted; their history is append-only.
  await sql`REVOKE DELETE, TRUNCATE ON procedures FROM motcua_app`.execute(db);
  await sql`REVOKE UPDATE, DELETE, TRUNCATE ON procedure_history FROM motcua_app`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TRIGGER IF EXISTS agencies_procedure_search ON agencies`.execute(db);
  for (const t of ['procedure_search_words', 'import_jobs', 'procedure_history', 'procedure_fees', 'procedure_components', 'procedure_templates', 'procedure_agencies', 'procedures', 'procedure_fields']) {
    await sql`DROP TABLE IF EXISTS ${sql.table(t)} CASCADE`.execute(db);
  }
  for (const f of ['procedure_search_words_add', 'procedure_agency_renamed', 'procedure_fields_renamed', 'procedure_agencies_removed', 'procedure_agencies_added', 'procedures_search_refresh']) {
    await sql`DROP FUNCTION IF EXISTS ${sql.id(f)}()`.execute(db);
  }
  await sql`DROP FUNCTION IF EXISTS procedure_search_text(uuid, text, text, uuid)`.execute(db);
  await sql`DROP FUNCTION IF EXISTS catalog_words(text)`.execute(db);
}
