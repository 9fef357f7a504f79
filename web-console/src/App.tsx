import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { User, UserManager } from 'oidc-client-ts';
import { Api, explain, IMAGE_FIELDS, type Image, type Status } from './api';
import { currentUser, userManager } from './auth';
import { loadConfig } from './config';
import { Uploader } from './Uploader';
import { ImageList } from './ImageList';
import { ImageDetail } from './ImageDetail';

type Session =
  | { state: 'loading' }
  | { state: 'signed-out'; manager: UserManager; error?: string }
  | { state: 'signed-in'; manager: UserManager; user: User }
  | { state: 'broken'; error: string };

export function App() {
  const [session, setSession] = useState<Session>({ state: 'loading' });

  useEffect(() => {
    let manager: UserManager | null = null;
    loadConfig()
      .then(async (config) => {
        manager = userManager(config);
        manager.events.addUserLoaded((user) => setSession({ state: 'signed-in', manager: manager!, user }));
        manager.events.addSilentRenewError(() =>
          setSession({ state: 'signed-out', manager: manager!, error: 'Your session ended. Sign in again.' }));
        try {
          const user = await currentUser(manager);
          setSession(user ? { state: 'signed-in', manager, user } : { state: 'signed-out', manager });
        } catch (error) {
          setSession({ state: 'signed-out', manager, error: explain(error) });
        }
      })
      .catch((error) => setSession({ state: 'broken', error: explain(error) }));
  }, []);

  return (
    <>
      <header className="bar">
        <h1>tu <span className="muted">fleet photo analysis</span></h1>
        {session.state === 'signed-in' && (
          <div className="who">
            <span>Signed in as <strong>{String(session.user.profile.preferred_username ?? session.user.profile.sub)}</strong></span>
            <button type="button" className="secondary" onClick={() => void session.manager.signoutRedirect()}>Sign out</button>
          </div>
        )}
      </header>
      <main id="main">
        {session.state === 'loading' && <p role="status">Loading…</p>}
        {session.state === 'broken' && <p role="alert" className="error">{session.error}</p>}
        {session.state === 'signed-out' && (
          <section className="card signin" aria-labelledby="signin-title">
            <h2 id="signin-title">Sign in</h2>
            <p>Upload photos of your machines and watch the analysis arrive live.</p>
            {session.error && <p role="alert" className="error">{session.error}</p>}
            <button type="button" onClick={() => void session.manager.signinRedirect().catch((error) =>
              setSession({ state: 'signed-out', manager: session.manager, error: explain(error) }))}>
              Sign in with Keycloak
            </button>
          </section>
        )}
        {session.state === 'signed-in' && <Console user={session.user} manager={session.manager} />}
      </main>
    </>
  );
}

function Console({ user, manager }: { user: User; manager: UserManager }) {
  const tokenRef = useRef(user.access_token);
  tokenRef.current = user.access_token;
  const api = useMemo(() => new Api(() => tokenRef.current), []);
  const [images, setImages] = useState<Image[]>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const [loaded, setLoaded] = useState(false);

  const upsert = useCallback((image: Image) => {
    setImages((current) => {
      const others = current.filter((candidate) => candidate.id !== image.id);
      return [image, ...others].sort((a, b) => b.uploadedAt.localeCompare(a.uploadedAt));
    });
  }, []);

  const refresh = useCallback(async (id: string) => {
    try {
      const data = await api.graphql<{ image: Image | null }>(`query($id: ID!) { image(id: $id) { ${IMAGE_FIELDS} } }`, { id });
      if (data.image) upsert(data.image);
    } catch (failure) {
      setError(explain(failure));
    }
  }, [api, upsert]);

  useEffect(() => {
    api.graphql<{ images: { edges: { node: Image }[] } }>(`{ images(first: 50) { edges { node { ${IMAGE_FIELDS} } } } }`)
      .then((data) => setImages(data.images.edges.map((edge) => edge.node)))
      .catch((failure) => setError(explain(failure)))
      .finally(() => setLoaded(true));
    const stop = api.subscribe(
      (update) => {
        setImages((current) => current.map((image) => image.id === update.imageId && image.analysis
          ? { ...image, analysis: { ...image.analysis, status: update.status as Status, attempts: update.attempts } }
          : image));
        void refresh(update.imageId);
      },
      (message) => setError(`Live updates: ${message}`),
      setLive,
    );
    return () => {
      stop();
      api.close();
    };
  }, [api, refresh]);

  useEffect(() => {
    if (error?.includes('(UNAUTHORIZED)')) void manager.removeUser();
  }, [error, manager]);

  const current = images.find((image) => image.id === selected) ?? null;
  return (
    <>
      {error && (
        <div role="alert" className="error banner">
          <span>{error}</span>
          <button type="button" className="secondary" onClick={() => setError(null)}>Dismiss</button>
        </div>
      )}
      <div className="layout">
        <div className="column">
          <Uploader api={api} onUploaded={(id) => void refresh(id)} />
          <ImageList images={images} loaded={loaded} live={live} selected={selected} onOpen={setSelected} />
        </div>
        {current && (
          <ImageDetail key={current.id} api={api} image={current} onClose={() => setSelected(null)}
            onReanalysed={() => void refresh(current.id)} />
        )}
      </div>
    </>
  );
}
