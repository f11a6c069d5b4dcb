// The E18xxx error table of api 003: HTTP status and meaning (English and the document's Chinese) per code.

export interface PandoraCode {
  status: number;
  en: string;
  zh: string;
}

export const PANDORA_CODES: Record<string, PandoraCode> = {
  E18003: { status: 411, en: 'Content-Length is missing', zh: '缺少内容长度' },
  E18004: { status: 400, en: 'invalid Content-Length', zh: '无效的内容长度' },
  E18005: { status: 413, en: 'request body too large', zh: '请求实体过大' },
  E18006: { status: 400, en: 'request body is empty', zh: '请求实体为空' },
  E18007: { status: 400, en: 'request body is malformed', zh: '请求实体格式非法' },
  E18008: { status: 400, en: 'field length over the limit', zh: '字段长度超过限制' },
  E18101: { status: 409, en: 'repository already exists', zh: '仓库已经存在' },
  E18102: { status: 404, en: 'repository does not exist', zh: '仓库不存在' },
  E18103: { status: 400, en: 'invalid repository name', zh: '无效的仓库名称' },
  E18104: { status: 400, en: 'invalid date format', zh: '无效的日期格式' },
  E18105: { status: 400, en: 'repository schema is empty', zh: '仓库Schema为空' },
  E18106: { status: 400, en: 'invalid field name', zh: '无效的字段名称' },
  E18107: { status: 400, en: 'unsupported field type', zh: '不支持的字段类型' },
  E18108: { status: 400, en: 'too many source repositories', zh: '源仓库数量超过限制' },
  E18109: { status: 400, en: 'invalid repository schema', zh: '无效的仓库模式' },
  E18110: { status: 400, en: 'invalid field format', zh: '无效的字段格式' },
  E18111: { status: 404, en: 'field does not exist', zh: '字段不存在' },
  E18112: { status: 400, en: 'the repository still has dependent transform or export tasks', zh: '仓库上存在着级联的转换任务或者导出任务' },
  E18113: { status: 409, en: 'repository is being deleted', zh: '仓库处于删除状态中' },
  E18117: { status: 400, en: 'invalid plugin name', zh: 'Plugin名称不合法' },
  E18120: { status: 404, en: 'shared resource pool does not exist', zh: '共享资源池不存在' },
  E18122: { status: 404, en: 'the exported repository does not exist in logdb', zh: '导出的仓库在logd中不存在' },
  E18124: { status: 202, en: 'repository is being created', zh: '仓库处于创建中' },
  E18125: { status: 400, en: 'could not read the gzip request body', zh: '读取gzip的打点请求体出错' },
  E18201: { status: 409, en: 'job already exists', zh: '计算任务已经存在' },
  E18202: { status: 404, en: 'job does not exist', zh: '计算任务不存在' },
  E18203: { status: 415, en: 'unsupported job type', zh: '计算任务类型不支持' },
  E18204: { status: 409, en: "the job's source and destination are the same", zh: '计算任务的源仓库与目的仓库相同' },
  E18205: { status: 409, en: 'the destination is used by another transform', zh: '目的仓库已经被其他转换任务占用' },
  E18206: { status: 400, en: 'the destination must be deleted by deleting its job', zh: '目的仓库必须通过删除计算任务的方式删除' },
  E18207: { status: 400, en: 'invalid job description', zh: '计算任务描述格式非法' },
  E18208: { status: 400, en: 'invalid job interval', zh: '计算任务interval非法' },
  E18209: { status: 400, en: 'invalid SQL in the job', zh: '计算任务中的SQL语句非法' },
  E18211: { status: 400, en: 'invalid plugin output field type', zh: '计算任务中plugin输出字段类型非法' },
  E18212: { status: 400, en: 'region does not match the data center', zh: '仓库的区域信息和数据中心不相符' },
  E18213: { status: 400, en: 'invalid container type', zh: '计算任务中容器类型非法' },
  E18214: { status: 400, en: 'invalid container count', zh: '计算任务中容器数量非法' },
  E18215: { status: 409, en: 'shared resource pool is in use', zh: '共享资源池处于使用中' },
  E18216: { status: 404, en: 'plugin does not exist', zh: 'Plugin不存在' },
  E18217: { status: 409, en: 'plugin already exists', zh: 'Plugin已存在' },
  E18218: { status: 409, en: 'shared resource pool already exists', zh: '共享资源池已存在' },
  E18219: { status: 400, en: 'plugin upload length mismatch', zh: 'Plugin上传内容长度不一致' },
  E18220: { status: 400, en: 'plugin upload MD5 mismatch', zh: 'Plugin上传内容的MD5不一致' },
  E18221: { status: 400, en: 'invalid shared resource pool name', zh: '共享资源池名称非法' },
  E18222: { status: 400, en: 'shared resource pool region mismatch', zh: '共享资源池的区域信息不一致' },
  E18223: { status: 400, en: "cannot post data into a job's destination repository", zh: '不能向计算任务的目标仓库中打点' },
  E18301: { status: 409, en: 'export already exists', zh: '导出任务已经存在' },
  E18302: { status: 404, en: 'export does not exist', zh: '导出任务不存在' },
  E18303: { status: 400, en: 'could not submit the export', zh: '提交导出任务失败' },
  E18304: { status: 400, en: 'could not delete the export', zh: '删除导出任务失败' },
  E18305: { status: 400, en: 'the export has an error', zh: '导出任务出现错误' },
};

/** 401 "bad token": the signature is wrong, the token expired, or the clock is off. */
export const BAD_TOKEN = 'bad token';

/** The E18xxx code at the start of a Pandora error text (`E18202: job ... not found`), if any. */
export function codeOf(errorText: string): string | undefined {
  const m = /^\s*(E18\d{3})\b/.exec(errorText);
  return m ? m[1] : undefined;
}

/** The meaning of a code in the user's language ('zh*' → the document's Chinese). */
export function meaningOf(code: string, language = 'en'): string | undefined {
  const entry = PANDORA_CODES[code];
  if (!entry) return undefined;
  return language.toLowerCase().startsWith('zh') ? entry.zh : entry.en;
}
