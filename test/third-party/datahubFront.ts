// A minimal Datahub 000 front (init, complete, download presign, update_status, heartbeat, result) written
// from the document, that keeps its objects in a third-party S3 server and presigns with the AWS SDK.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requireFromKit, S3RVER_KEY } from '../../scripts/lib/thirdPartyServers.mjs';

/** The part of aws-sdk v2's S3 client this front uses (the SDK ships no types we install). */
interface AwsRequest<T> {
  promise(): Promise<T>;
  on(event: 'build', listener: () => void): AwsRequest<T>;
  presign(expires: number): string;
  httpRequest: { headers: Record<string, string> };
}
export interface S3Client {
  createMultipartUpload(p: { Bucket: string; Key: string }): AwsRequest<{ UploadId?: string }>;
  completeMultipartUpload(p: { Bucket: string; Key: string; UploadId: string; MultipartUpload: { Parts: { PartNumber: number; ETag: string }[] } }): AwsRequest<{ ETag?: string }>;
  headObject(p: { Bucket: string; Key: string }): AwsRequest<{ ContentLength?: number; ETag?: string }>;
  getObject(p: { Bucket: string; Key: string }): AwsRequest<{ Body?: Buffer; ETag?: string }>;
  putObject(p: { Bucket: string; Key: string; Body?: Buffer }): AwsRequest<unknown>;
  uploadPart(p: { Bucket: string; Key: string; UploadId: string; PartNumber: number; Body?: Buffer }): AwsRequest<{ ETag?: string }>;
  getSignedUrl(operation: 'getObject', p: { Bucket: string; Key: string; Expires: number }): string;
}
interface AwsModule {
  S3: new (config: Record<string, unknown>) => S3Client;
}

/** `s3`: SigV2 query auth (AWSAccessKeyId/Expires/Signature, signs Content-Type); `v4`: SigV4 query auth. */
export type SignatureStyle = 's3' | 'v4';

export interface FrontOptions {
  storeUrl: string;
  bucket: string;
  signature: SignatureStyle;
  /** The Content-Type the presigned part PUTs are signed with; none when undefined (the usual way). */
  partContentType?: string;
  token: string;
}

export interface FrontCall {
  path: string;
  body: Record<string, unknown>;
}

interface OpenUpload {
  key: string;
  fileName: string;
  multipartId?: string;
}

const PRESIGN_SECONDS = 900;

export async function s3Client(storeUrl: string, signatureVersion: SignatureStyle): Promise<S3Client> {
  const { S3 } = (await requireFromKit('s3', 'aws-sdk')) as AwsModule;
  return new S3({ endpoint: storeUrl, s3ForcePathStyle: true, region: 'us-east-1', signatureVersion, ...S3RVER_KEY });
}

export class DatahubFront {
  readonly calls: FrontCall[] = [];
  private readonly uploads = new Map<string, OpenUpload>();
  /** subtask id → the object its download presign points at. */
  private readonly inputs = new Map<string, { key: string; fileName: string }>();
  private server: Server | undefined;
  url = '';

  private constructor(
    private readonly options: FrontOptions,
    readonly s3: S3Client,
  ) {}

  static async start(options: FrontOptions): Promise<DatahubFront> {
    const front = new DatahubFront(options, await s3Client(options.storeUrl, options.signature));
    front.server = createServer((req, res) => void front.handle(req, res));
    await new Promise<void>((resolve) => front.server?.listen(0, '127.0.0.1', resolve));
    front.url = `http://127.0.0.1:${(front.server.address() as AddressInfo).port}`;
    return front;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Where the uploads of `subtaskId` land: one object per file name. */
  static keyOf(subtaskId: string, fileName: string): string {
    return `${subtaskId}/${fileName}`;
  }

  /** Makes `subtaskId`'s download presign point at the stored object `key`. */
  setInput(subtaskId: string, key: string, fileName: string): void {
    this.inputs.set(subtaskId, { key, fileName });
  }

  /** Stores `data` as `key` through the SDK's own multipart upload (parts of `partSize`), as another client would. */
  async putMultipart(key: string, data: Buffer, partSize: number): Promise<void> {
    const Bucket = this.options.bucket;
    const { UploadId } = await this.s3.createMultipartUpload({ Bucket, Key: key }).promise();
    if (!UploadId) throw new Error('the store opened no multipart upload');
    const parts = [];
    for (let start = 0, n = 1; start < data.length; start += partSize, n++) {
      const { ETag } = await this.s3.uploadPart({ Bucket, Key: key, UploadId, PartNumber: n, Body: data.subarray(start, start + partSize) }).promise();
      parts.push({ PartNumber: n, ETag: ETag ?? '' });
    }
    await this.s3.completeMultipartUpload({ Bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }).promise();
  }

  callsTo(path: string): FrontCall[] {
    return this.calls.filter((c) => c.path === path);
  }

  async stored(key: string): Promise<Buffer> {
    const object = await this.s3.getObject({ Bucket: this.options.bucket, Key: key }).promise();
    return object.Body ?? Buffer.alloc(0);
  }

  private presignPut(request: AwsRequest<unknown>): string {
    const type = this.options.partContentType;
    if (type !== undefined) request.on('build', () => void (request.httpRequest.headers['Content-Type'] = type));
    return request.presign(PRESIGN_SECONDS);
  }

  private async init(body: Record<string, unknown>): Promise<unknown> {
    const { bucket } = this.options;
    const fileName = String(body.file_name);
    const key = DatahubFront.keyOf(String(body.subtask_id), fileName);
    const size = Number(body.file_size);
    const chunk = body.chunk_size === undefined ? undefined : Number(body.chunk_size);
    const uploadId = `upload_${randomBytes(8).toString('hex')}`;
    if (chunk === undefined) {
      this.uploads.set(uploadId, { key, fileName });
      return { upload_id: uploadId, part_upload_urls: [{ index: 1, url: this.presignPut(this.s3.putObject({ Bucket: bucket, Key: key })) }] };
    }
    const { UploadId } = await this.s3.createMultipartUpload({ Bucket: bucket, Key: key }).promise();
    if (!UploadId) throw new Error('the store opened no multipart upload');
    this.uploads.set(uploadId, { key, fileName, multipartId: UploadId });
    const count = Math.max(1, Math.ceil(size / chunk));
    const urls = [];
    for (let index = 1; index <= count; index++) {
      urls.push({ index, url: this.presignPut(this.s3.uploadPart({ Bucket: bucket, Key: key, UploadId, PartNumber: index })) });
    }
    return { upload_id: uploadId, part_upload_urls: urls };
  }

  private async complete(body: Record<string, unknown>): Promise<unknown> {
    const upload = this.uploads.get(String(body.upload_id));
    if (!upload) throw new FrontError(404, `no upload ${String(body.upload_id)}`);
    const parts = (body.parts as { index: number; etag: string }[]).map((p) => ({ PartNumber: p.index, ETag: p.etag }));
    if (upload.multipartId) {
      await this.s3.completeMultipartUpload({ Bucket: this.options.bucket, Key: upload.key, UploadId: upload.multipartId, MultipartUpload: { Parts: parts } }).promise();
    } else {
      // A single PUT: the object must be there.
      await this.s3.headObject({ Bucket: this.options.bucket, Key: upload.key }).promise();
    }
    this.uploads.delete(String(body.upload_id));
    return null;
  }

  private presignDownload(subtaskId: string): unknown {
    const input = this.inputs.get(subtaskId);
    if (!input) throw new FrontError(404, `subtask ${subtaskId} has no input file`);
    return { download_url: this.s3.getSignedUrl('getObject', { Bucket: this.options.bucket, Key: input.key, Expires: PRESIGN_SECONDS }), file_name: input.fileName };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const send = (status: number, payload: unknown): void => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    try {
      if (req.headers.authorization !== `Bearer ${this.options.token}`) throw new FrontError(401, 'unauthorized');
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString('utf8');
      const body = (text ? JSON.parse(text) : Object.fromEntries(url.searchParams)) as Record<string, unknown>;
      this.calls.push({ path: url.pathname, body });
      let data: unknown = null;
      if (req.method === 'POST' && url.pathname === '/api/task/upload/init') data = await this.init(body);
      else if (req.method === 'POST' && url.pathname === '/api/task/upload/complete') data = await this.complete(body);
      else if (req.method === 'GET' && url.pathname === '/api/task/download/presign') data = this.presignDownload(String(body.subtask_id));
      else if (req.method !== 'POST' || !['/api/task/update_status', '/api/task/heartbeat', '/api/task/result'].includes(url.pathname)) throw new FrontError(404, `no route ${req.method} ${url.pathname}`);
      send(200, { code: 0, data });
    } catch (err) {
      const status = err instanceof FrontError ? err.status : 500;
      send(status, { code: status, message: err instanceof Error ? err.message : String(err) });
    }
  }
}

class FrontError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}
