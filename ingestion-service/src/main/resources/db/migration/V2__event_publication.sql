-- Spring Modulith's JDBC event publication registry (schema v2 for PostgreSQL, Modulith 2.0): the
-- transactional outbox. A row is written in the upload's transaction and completed once Kafka
-- acknowledged the record; incomplete rows are resubmitted on restart.
create table if not exists event_publication (
    id                     uuid                     not null primary key,
    listener_id            text                     not null,
    event_type             text                     not null,
    serialized_event       text                     not null,
    publication_date       timestamp with time zone not null,
    completion_date        timestamp with time zone,
    status                 text,
    completion_attempts    int,
    last_resubmission_date timestamp with time zone
);
create index if not exists event_publication_serialized_event_hash_idx on event_publication using hash (serialized_event);
create index if not exists event_publication_by_completion_date_idx on event_publication (completion_date);
