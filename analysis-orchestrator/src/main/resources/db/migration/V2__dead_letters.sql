-- Messages the pipeline gave up on, from Kafka's dead-letter topics and RabbitMQ's dead-letter queues,
-- kept so an operator can see why and replay them after a fix.
create table dead_letter (
    id               uuid         primary key,
    -- Where it was dead-lettered: kafka:<topic> or rabbit:<queue>.
    source           varchar(255) not null,
    -- Its position there (topic-partition@offset, or event id and death count): captured once.
    position         varchar(255) not null,
    -- Where a replay sends it: kafka:<topic> or rabbit:<exchange>/<routing key>.
    origin           varchar(512) not null,
    message_key      varchar(255),
    event_id         varchar(128),
    event_type       varchar(128),
    tenant           varchar(64),
    trace_id         varchar(32),
    cause            text,
    headers          jsonb        not null,
    payload          bytea        not null,
    dead_lettered_at timestamptz  not null,
    replayed_at      timestamptz,
    replays          integer      not null default 0,
    unique (source, position)
);
create index dead_letter_pending on dead_letter (dead_lettered_at desc) where replayed_at is null;
