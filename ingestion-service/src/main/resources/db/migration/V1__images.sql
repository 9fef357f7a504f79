-- Image metadata. Bytes live in the object store under object_key; this row is the source of truth
-- for who owns the image (tenant) and what it is.
create table image (
    id              uuid         primary key,
    tenant          varchar(64)  not null,
    uploader        varchar(255) not null,
    asset_id        varchar(128),
    original_name   varchar(255) not null,
    content_type    varchar(64)  not null,
    size_bytes      bigint       not null check (size_bytes > 0),
    sha256          char(64)     not null,
    width           integer      not null check (width > 0),
    height          integer      not null check (height > 0),
    orientation     smallint     not null default 1,
    captured_at     timestamptz,
    gps_latitude    double precision,
    gps_longitude   double precision,
    object_key      varchar(512) not null unique,
    idempotency_key varchar(255),
    uploaded_at     timestamptz  not null,
    -- The same Idempotency-Key from the same tenant is the same upload.
    constraint image_idempotency unique (tenant, idempotency_key)
);

-- Cursor pagination: newest first, per tenant, optionally per asset.
create index image_by_tenant on image (tenant, uploaded_at desc, id desc);
create index image_by_tenant_asset on image (tenant, asset_id, uploaded_at desc, id desc);
