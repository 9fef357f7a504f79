import type { Image } from './api';

export function statusText(image: Image): string {
  const analysis = image.analysis;
  if (!analysis) return 'Received';
  switch (analysis.status) {
    case 'COMPLETED': return 'Analysed';
    case 'FAILED': return `Failed${analysis.failureCode ? ` (${analysis.failureCode})` : ''}`;
    case 'ANALYZING': return 'Analysing…';
    default: return 'Waiting for analysis';
  }
}

export function verdict(image: Image): string {
  const quality = image.analysis?.result?.quality.find((finding) =>
    finding.label === 'usable' || finding.label.startsWith('unusable'));
  if (!quality) return '—';
  return quality.label === 'usable' ? 'Usable' : `Unusable: ${quality.label.replace('unusable:', '').replaceAll(',', ', ')}`;
}

/** The tenant's images, newest first; rows change as the subscription reports new statuses. */
export function ImageList({ images, loaded, live, selected, onOpen }: {
  images: Image[]; loaded: boolean; live: boolean; selected: string | null; onOpen: (id: string) => void;
}) {
  return (
    <section className="card" aria-labelledby="list-title">
      <div className="heading">
        <h2 id="list-title">Images</h2>
        <span className={`live ${live ? 'on' : 'off'}`} role="status">
          {live ? 'Live: updates appear as they happen' : 'Connecting live updates…'}
        </span>
      </div>
      {loaded && images.length === 0 && <p>No images yet. Upload a photo to start.</p>}
      {images.length > 0 && (
        <table className="images">
          <caption className="visually-hidden">Your organisation's images and their analysis</caption>
          <thead>
            <tr><th scope="col">Photo</th><th scope="col">Machine</th><th scope="col">Status</th>
              <th scope="col">Objects</th><th scope="col">Text</th><th scope="col">Quality</th></tr>
          </thead>
          <tbody>
            {images.map((image) => {
              const result = image.analysis?.result;
              return (
                <tr key={image.id} data-image-id={image.id} data-status={image.analysis?.status ?? 'RECEIVED'}
                  aria-current={selected === image.id ? 'true' : undefined}>
                  <td>
                    <button type="button" className="link" onClick={() => onOpen(image.id)}
                      aria-label={`Open ${image.originalName}`}>{image.originalName}</button>
                  </td>
                  <td>{image.assetId ?? '—'}</td>
                  <td className={`status ${image.analysis?.status ?? 'RECEIVED'}`}>{statusText(image)}</td>
                  <td>{result ? result.objects.map((finding) => finding.label).join(', ') || 'none' : '—'}</td>
                  <td>{result ? result.text.map((finding) => finding.label).join(' ') || 'none' : '—'}</td>
                  <td>{verdict(image)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
