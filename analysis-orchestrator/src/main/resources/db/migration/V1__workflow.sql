-- The analysis workflow per image: received -> analyzing -> completed | failed.
create table analysis (
    image_id       uuid         primary key,
    tenant         varchar(64)  not null,
    object_key     varchar(512),
    status         varchar(16)  not null check (status in ('RECEIVED', 'ANALYZING', 'COMPLETED', 'FAILED')),
    attempts       integer      not null default 0,
    received_at    timestamptz  not null,
    updated_at     timestamptz  not null,
    -- When the running attempt times out; null unless analyzing.
    deadline_at    timestamptz,
    result         jsonb,
    failure_code   varchar(64),
    failure_detail text
);
create index analysis_by_tenant on analysis (tenant, updated_at desc, image_id desc);
-- The timeout sweep reads only what is analyzing and overdue.
create index analysis_overdue on analysis (deadline_at) where status = 'ANALYZING';

-- Event ids already applied: a redelivered event changes nothing.
create table applied_event (
    event_id   varchar(128) primary key,
    image_id   uuid         not null,
    event_type varchar(64)  not null,
    applied_at timestamptz  not null
);
