import type { FastifyRequest } from 'fastify';
import { AppError } from './errors.js';

function multipartRequired(what: string): AppError {
  return new AppError('unsupported_media_type', {
    status: 415,
    message: `send the ${what} as multipart/form-data with a field named file`,
    details: [{ path: 'file', code: 'multipart_required' }],
  });
}

function fileRequired(what: string): AppError {
  return new AppError('validation_failed', {
    message: `no file: send the ${what} in a field named file`,
    details: [{ path: 'file', code: 'required', message: 'the field file is required' }],
  });
}

/** The one uploaded file of a multipart request, field `file`, as bytes (the plugin caps it at 20 MB: 413). */
export async function uploadedFile(req: FastifyRequest): Promise<{ name: string; bytes: Buffer }> {
  if (!req.isMultipart()) throw multipartRequired('workbook');
  const part = await req.file();
  if (part?.fieldname !== 'file') {
    if (part) part.file.resume();
    throw fileRequired('workbook');
  }
  return { name: part.filename.slice(0, 200), bytes: await part.toBuffer() };
}

/**
 * The uploaded file (field `file`) and the named text fields of a multipart request, in any order. Other
 * files are drained and ignored; a missing file is a 400, a request that is not multipart a 415.
 */
export async function uploadedFileAndFields(
  req: FastifyRequest,
  fieldNames: string[],
): Promise<{ name: string; bytes: Buffer; fields: Record<string, string> }> {
  if (!req.isMultipart()) throw multipartRequired('file');
  let file: { name: string; bytes: Buffer } | undefined;
  const fields: Record<string, string> = {};
  for await (const part of req.parts()) {
    if (part.type === 'file') {
      if (part.fieldname === 'file' && !file) file = { name: part.filename.slice(0, 200), bytes: await part.toBuffer() };
      else part.file.resume();
    } else if (fieldNames.includes(part.fieldname) && typeof part.value === 'string') {
      fields[part.fieldname] = part.value;
    }
  }
  if (!file) throw fileRequired('file');
  return { ...file, fields };
}
