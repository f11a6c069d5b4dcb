// The emulated media task backend (api 002): FormData bodies, the Token header, {data, message}, its path spellings.
import type { BackendFactory } from '../context';
import type { RequestContext, Router } from '../router';
import { registerMediaAdmin } from './admin';
import { fail, ok } from './envelope';
import { blockFields, type BlockFields, type FormFields, intField, strField } from './fields';
import { readForm } from './form';
import { type BlockState, type DownloadTask, MediaStore, STATUS_NAMES, type UploadTask, now } from './model';
import { downloadView, privateView, uploadView } from './views';

const UPLOAD = '/api/v1/tasks/upload/pbulic';
const DOWNLOAD = '/api/v1/tasks/download';
const PRIVATE = '/api/v1/tasks/upload/private';

/** Django reads the `Token` header as HTTP_TOKEN; without one DRF answers 401. */
function checkToken(c: RequestContext, store: MediaStore): void {
  const raw = c.req.headers.token;
  const token = Array.isArray(raw) ? raw[0] : raw;
  if (!token) throw fail(401, '身份认证信息未提供。(Token header missing)');
  if (store.tokens && !store.tokens.includes(token)) throw fail(401, '认证令牌无效。(invalid token)');
}

function idParam(c: RequestContext): number {
  const id = Number(c.params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw fail(404, '未找到。');
  return id;
}

/** Records what an upload or private status PATCH says (percent 100 once done when none is given). */
function applyBlockReport(target: BlockState, status: number, percent: number | undefined, b: BlockFields, form: FormFields): void {
  target.status = status;
  if (percent !== undefined) target.percent = percent;
  else if (status === 8) target.percent = 100;
  if (b.name !== undefined) target.name = b.name;
  if (b.file !== undefined) target.file = b.file;
  if (b.hash !== undefined) target.hash = b.hash;
  if (b.size !== undefined) target.size = b.size;
  if (b.ip !== undefined) target.ip = b.ip;
  const sent = ['name', 'file', 'hash', 'size', 'ip'].filter((k) => form[k] !== undefined && form[k] !== '');
  target.reports = [...(target.reports ?? []), { status, fields: sent }].slice(-50);
}

/** A path spelt without the trailing slash the backend's route has: Django's APPEND_SLASH behaviour. */
function slashRedirect(router: Router, method: string, pattern: string): void {
  router.add(method, pattern, 'media', (c) => {
    if (method === 'GET') {
      c.send(301, '', { Location: `${c.url.pathname}/${c.url.search}` });
      return;
    }
    c.req.resume();
    throw fail(500, `RuntimeError: You called this URL via ${method}, but the URL doesn't end in a slash (${c.url.pathname}). Django can't redirect to the slash URL while maintaining ${method} data.`);
  });
}

export const registerMedia: BackendFactory = (router, ctx) => {
  const store = new MediaStore(ctx.dataDir);
  const upload = (id: number): UploadTask => {
    const t = store.uploads.get(id);
    if (!t) throw fail(404, '任务不存在。');
    return t;
  };
  const download = (id: number): DownloadTask => {
    const t = store.downloads.get(id);
    if (!t) throw fail(404, '下载任务不存在。');
    return t;
  };
  const guarded = (handler: (c: RequestContext) => Promise<void>) => async (c: RequestContext) => {
    checkToken(c, store);
    await handler(c);
  };

  // 新建上载任务
  router.add('POST', `${UPLOAD}/`, 'media', guarded(async (c) => {
    const f = await readForm(c);
    const seriesId = intField(f, 'series_id', { required: true, min: 0 }) as number;
    const uuid = strField(f, 'uuid', true) as string;
    const sourceName = strField(f, 'source_name', true) as string;
    if ([...store.uploads.values()].some((t) => t.uuid === uuid)) throw fail(400, `uuid: 节目 UUID ${uuid} 已存在。`);
    const id = store.newId();
    const task: UploadTask = {
      id, status: 0, percent: 0, series_id: seriesId, source_id: 1000 + id, source_name: sourceName, uuid,
      ip: '', file: '', name: '', size: 0, hash: '', created_at: now(),
      private: { status: 0, percent: 0, name: '', file: '', size: 0, hash: '', ip: '' },
      status_history: [0],
    };
    store.uploads.set(id, task);
    await store.save();
    ok(c, uploadView(task));
  }));

  // 提交上载任务状态
  router.add('PATCH', `${UPLOAD}/:id/`, 'media', guarded(async (c) => {
    const task = upload(idParam(c));
    const f = await readForm(c);
    store.takeStatusFailure();
    const status = intField(f, 'status', { required: true, min: 0, max: 9 }) as number;
    applyBlockReport(task, status, intField(f, 'percent', { required: false, min: 0, max: 100 }), blockFields(f, status), f);
    if (task.status_history[task.status_history.length - 1] !== status) task.status_history.push(status);
    await store.save();
    ok(c, uploadView(task));
  }));

  // 新建下载任务 (GET with the source id as a query or form field)
  router.add('GET', `${DOWNLOAD}/`, 'media', guarded(async (c) => {
    const fields = await readForm(c, false);
    for (const [name, value] of c.url.searchParams) fields[name] = value;
    const sourceId = intField(fields, 'source_id', { required: true, min: 1 }) as number;
    const source = store.uploadBySource(sourceId);
    if (!source) throw fail(404, `节目 ${sourceId} 不存在。`);
    if (source.status !== 8 || !source.hash) throw fail(400, `节目 ${sourceId} 的母带尚未上载完成（${STATUS_NAMES.get(source.status) ?? source.status}），暂不能下载。`);
    const id = store.newId();
    const task: DownloadTask = { id, source_id: sourceId, status: 0, percent: 0, created_at: now(), status_history: [0] };
    if (store.authorizeDelayMs !== null) task.authorized_at = Date.now() + store.authorizeDelayMs;
    store.downloads.set(id, task);
    await store.save();
    ok(c, downloadView(store, task));
  }));

  // 获取下载任务详情
  router.add('GET', `${DOWNLOAD}/:id/`, 'media', guarded(async (c) => {
    ok(c, downloadView(store, download(idParam(c))));
  }));

  // 提交下载任务状态
  router.add('PATCH', `${DOWNLOAD}/:id/`, 'media', guarded(async (c) => {
    const task = download(idParam(c));
    const f = await readForm(c);
    store.takeStatusFailure();
    const status = intField(f, 'status', { required: true, min: 0, max: 9 }) as number;
    const percent = intField(f, 'percent', { required: false, min: 0, max: 100 });
    task.status = status;
    if (percent !== undefined) task.percent = percent;
    if (task.status_history[task.status_history.length - 1] !== status) task.status_history.push(status);
    await store.save();
    ok(c, downloadView(store, task));
  }));

  // 获取私有块上载任务列表: every source whose public block is up
  router.add('GET', `${PRIVATE}/`, 'media', guarded(async (c) => {
    const list = [...store.uploads.values()].filter((t) => t.status === 8).map(privateView);
    ok(c, list, '', { meta: { status_choices: [0, 3, 8, 9].map((code) => ({ code, name: STATUS_NAMES.get(code) })) } });
  }));

  // 提交私有块上载任务状态 (this one has no trailing slash)
  router.add('PATCH', `${PRIVATE}/:id`, 'media', guarded(async (c) => {
    const task = upload(idParam(c));
    if (task.status !== 8) throw fail(400, '公有块尚未上载完成，不能上载私有块。');
    const f = await readForm(c);
    store.takeStatusFailure();
    const status = intField(f, 'status', { required: true, min: 0, max: 9 }) as number;
    applyBlockReport(task.private, status, intField(f, 'percent', { required: false, min: 0, max: 100 }), blockFields(f, status), f);
    await store.save();
    ok(c, privateView(task));
  }));

  // The quirks: the slash-less spellings of slash routes, and a slash where the backend has none.
  slashRedirect(router, 'POST', UPLOAD);
  slashRedirect(router, 'PATCH', `${UPLOAD}/:id`);
  slashRedirect(router, 'GET', DOWNLOAD);
  slashRedirect(router, 'GET', `${DOWNLOAD}/:id`);
  slashRedirect(router, 'PATCH', `${DOWNLOAD}/:id`);
  slashRedirect(router, 'GET', PRIVATE);
  router.add('PATCH', `${PRIVATE}/:id/`, 'media', (c) => {
    c.req.resume();
    throw fail(404, `未找到：${c.url.pathname}（此接口路径没有结尾的斜杠）`);
  });

  registerMediaAdmin(router, store);

  return {
    state: () => ({ media: store.snapshot() }),
    reset: () => store.reset(),
    close: () => store.flush(),
  };
};
