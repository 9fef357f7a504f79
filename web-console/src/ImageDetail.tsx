import { useEffect, useRef, useState } from 'react';
import { explain, type Api, type Finding, type Image } from './api';
import { statusText, verdict } from './ImageList';

const KINDS = [
  { key: 'objects', name: 'Objects', className: 'box-object' },
  { key: 'text', name: 'Text', className: 'box-text' },
  { key: 'faces', name: 'Faces', className: 'box-face' },
] as const;

/** The adapter's EXIF facts are "name:value"; a person reads them as a labelled list. */
const EXIF_NAMES: Record<string, string> = {
  captured: 'Captured', camera: 'Camera', gps: 'GPS position', orientation: 'Orientation (applied before analysis)',
};

function exifFact(label: string): { name: string; value: string } {
  const colon = label.indexOf(':');
  if (colon < 0) return { name: 'Fact', value: label };
  const key = label.slice(0, colon);
  return { name: EXIF_NAMES[key] ?? key, value: label.slice(colon + 1) };
}

/** One image: the photo with its findings drawn as boxes, the quality verdict, EXIF facts, re-analysis. */
export function ImageDetail({ api, image, onClose, onReanalysed }: {
  api: Api; image: Image; onClose: () => void; onReanalysed: () => void;
}) {
  const [url, setUrl] = useState<string | null>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  // Keyboard and screen-reader users land on the image they opened, not back at the top of the page.
  useEffect(() => heading.current?.focus(), []);

  useEffect(() => {
    let revoked = false;
    let created: string | null = null;
    api.photo(image.id)
      .then((blobUrl) => {
        created = blobUrl;
        if (revoked) URL.revokeObjectURL(blobUrl);
        else setUrl(blobUrl);
      })
      .catch((failure) => setError(`The photo could not be loaded: ${explain(failure)}`));
    return () => {
      revoked = true;
      if (created) URL.revokeObjectURL(created);
    };
  }, [api, image.id]);

  const reanalyse = async () => {
    setBusy(true);
    setNotice(null);
    setError(null);
    try {
      await api.graphql('mutation($id: ID!) { requestReanalysis(imageId: $id) { status attempts } }', { id: image.id });
      setNotice('Re-analysis requested: the status changes here as it runs.');
      onReanalysed();
    } catch (failure) {
      setError(`Re-analysis was refused: ${explain(failure)}`);
    } finally {
      setBusy(false);
    }
  };

  const result = image.analysis?.result ?? null;
  // Boxes are in the upright image's pixels (the adapter applied EXIF orientation), which is how the
  // browser shows the photo too; the natural size of the loaded photo is the overlay's coordinate space.
  const width = size?.width ?? image.width;
  const height = size?.height ?? image.height;
  return (
    <section className="card detail" aria-labelledby="detail-title">
      <div className="heading">
        <h2 id="detail-title" ref={heading} tabIndex={-1}>{image.originalName}</h2>
        <button type="button" className="secondary" onClick={onClose}>Close</button>
      </div>
      {error && <p role="alert" className="error">{error}</p>}
      {notice && <p role="status" className="notice">{notice}</p>}
      <div className="photo">
        {url ? (
          <>
            <img src={url} alt={`Photo ${image.originalName}`}
              onLoad={(event) => setSize({ width: event.currentTarget.naturalWidth, height: event.currentTarget.naturalHeight })} />
            {result && size && (
              <svg className="overlay" viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" role="img"
                aria-label={`${result.objects.length} objects, ${result.text.length} text regions, ${result.faces.length} faces`}>
                {KINDS.flatMap((kind) => (result[kind.key] as Finding[]).filter((finding) => finding.box).map((finding, index) => (
                  <g key={`${kind.key}-${index}`} className={kind.className} data-label={finding.label}>
                    <rect x={finding.box!.x} y={finding.box!.y} width={finding.box!.width} height={finding.box!.height}
                      vectorEffect="non-scaling-stroke">
                      <title>{`${kind.name}: ${finding.label} (${Math.round(finding.confidence * 100)} %)`}</title>
                    </rect>
                    <text x={finding.box!.x} y={Math.max(finding.box!.y - 6, 14)} fontSize={Math.max(width / 50, 12)}>
                      {finding.label}
                    </text>
                  </g>
                )))}
              </svg>
            )}
          </>
        ) : !error && <p role="status">Loading the photo…</p>}
      </div>
      <ul className="legend" aria-label="Box colours">
        {KINDS.map((kind) => <li key={kind.key}><span className={`swatch ${kind.className}`} aria-hidden="true" />{kind.name}</li>)}
      </ul>
      <dl className="facts">
        <dt>Status</dt><dd data-testid="detail-status">{statusText(image)}{image.analysis ? `, attempt ${image.analysis.attempts}` : ''}</dd>
        {image.analysis?.failureDetail && (<><dt>Why it failed</dt><dd>{image.analysis.failureDetail}</dd></>)}
        <dt>Quality verdict</dt><dd data-testid="detail-verdict">{verdict(image)}</dd>
        <dt>Size</dt><dd>{image.width} × {image.height} px, {(image.sizeBytes / 1024).toFixed(0)} KiB</dd>
        <dt>Uploaded</dt><dd>{new Date(image.uploadedAt).toLocaleString()} by {image.uploadedBy}</dd>
        <dt>Machine</dt><dd>{image.assetId ?? '—'}</dd>
      </dl>
      <h3>EXIF facts</h3>
      {result && result.exif.length > 0 ? (
        <dl className="facts exif" data-testid="detail-exif">{result.exif.map((fact) => exifFact(fact.label)).map((fact) => (
          <div key={fact.name} className="fact"><dt>{fact.name}</dt><dd>{fact.value}</dd></div>
        ))}</dl>
      ) : <p>{result ? 'The photo carries no EXIF facts.' : 'Not analysed yet.'}</p>}
      {result && (
        <>
          <h3>Findings</h3>
          <table>
            <caption className="visually-hidden">Everything the models found</caption>
            <thead><tr><th scope="col">Kind</th><th scope="col">Label</th><th scope="col">Confidence</th></tr></thead>
            <tbody>
              {KINDS.flatMap((kind) => (result[kind.key] as Finding[]).map((finding, index) => (
                <tr key={`${kind.key}-${index}`}><td>{kind.name}</td><td>{finding.label}</td>
                  <td>{Math.round(finding.confidence * 100)} %</td></tr>
              )))}
            </tbody>
          </table>
          <p className="muted">Models: {result.analyzers.map((a) => `${a.analyzer} (${a.model}, ${a.durationMs} ms)`).join('; ')}</p>
        </>
      )}
      <button type="button" onClick={() => void reanalyse()} disabled={busy}>
        {busy ? 'Requesting…' : 'Re-analyse'}
      </button>
    </section>
  );
}
