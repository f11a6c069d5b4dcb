// Every rule of api 003, used by the client (refuse before sending), the forms (errors next to the field as
// you type) and the panels. One import for all of them; the rules live in one module per resource.
export * from './rules';
export { isCrontab } from './crontab';
export { validateDatasource, validateDatasourceUpdate } from './datasourceValidation';
export { containerCores, validateJob, type JobContext } from './jobValidation';
export { validateExport, validateExportSpec } from './exportValidation';
export * from './requestValidation';
