import { useId, useRef, useState, type DragEvent } from 'react';
import { explain, type Api } from './api';

/** One file handed to the console: refused before sending (no progress to show), uploading, done or failed. */
interface Row { key: string; name: string; progress: number; state: 'refused' | 'uploading' | 'done' | 'failed'; message: string }

const ACCEPTED = ['image/jpeg', 'image/png'];

/** Drag-and-drop (or pick) several photos; each uploads on its own with its own progress bar. */
export function Uploader({ api, onUploaded }: { api: Api; onUploaded: (id: string) => void }) {
  const [rows, setRows] = useState<Row[]>([]);
  const [asset, setAsset] = useState('');
  const [over, setOver] = useState(false);
  const input = useRef<HTMLInputElement>(null);
  const assetId = useId();
  const hint = useId();

  const update = (key: string, change: Partial<Row>) =>
    setRows((current) => current.map((row) => (row.key === key ? { ...row, ...change } : row)));

  const send = (files: FileList | null) => {
    if (!files) return;
    for (const file of Array.from(files)) {
      const key = `${file.name}-${crypto.randomUUID()}`;
      if (!ACCEPTED.includes(file.type)) {
        setRows((current) => [{ key, name: file.name, progress: 0, state: 'refused',
          message: `${file.name} was not uploaded: it is ${file.type ? `a ${file.type} file` : 'of an unknown type'}, `
            + 'not a JPEG or PNG photo.' }, ...current]);
        continue;
      }
      setRows((current) => [{ key, name: file.name, progress: 0, state: 'uploading', message: 'Uploading…' }, ...current]);
      api.upload(file, asset.trim(), (fraction) => update(key, { progress: fraction }))
        .then((accepted) => {
          update(key, { state: 'done', progress: 1,
            message: accepted.duplicate ? 'Already uploaded: analysis shown below.' : 'Uploaded: analysis on its way.' });
          onUploaded(accepted.id);
        })
        .catch((error) => update(key, { state: 'failed', message: `${file.name} was refused: ${explain(error)}` }));
    }
    if (input.current) input.current.value = '';
  };

  const drop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    send(event.dataTransfer.files);
  };

  return (
    <section className="card" aria-labelledby="upload-title">
      <h2 id="upload-title">Upload photos</h2>
      <div className="field">
        <label htmlFor={assetId}>Machine (asset id, optional)</label>
        <input id={assetId} value={asset} onChange={(event) => setAsset(event.target.value)}
          pattern="[A-Za-z0-9._:\-]+" maxLength={128} placeholder="e.g. GEN-125" />
      </div>
      <div className={`drop${over ? ' over' : ''}`} data-testid="drop-zone"
        onDragOver={(event) => { event.preventDefault(); setOver(true); }}
        onDragLeave={() => setOver(false)} onDrop={drop}>
        <p id={hint}>Drop JPEG or PNG photos here, or</p>
        <label className="button" htmlFor="photo-input">Choose photos…</label>
        <input id="photo-input" ref={input} className="visually-hidden" type="file" multiple
          accept={ACCEPTED.join(',')} aria-describedby={hint} onChange={(event) => send(event.target.files)} />
      </div>
      {rows.length > 0 && (
        <ul className="uploads" aria-label="Uploads">
          {rows.map((row) => (
            <li key={row.key} className={row.state} data-file={row.name}>
              <span className="name">{row.name}</span>
              {row.state !== 'refused' && (
                <progress max={1} value={row.progress} aria-label={`Upload progress of ${row.name}`} />
              )}
              <span role={row.state === 'failed' || row.state === 'refused' ? 'alert' : 'status'} className="message">
                {row.message}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
