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

/**
 * Reads a multipart body through `read`, turning the parser's own errors (a truncated body, a boundary that
 * is not in the body, a malformed part header — plain errors without a status) into a 400 with the uniform
 * body. The plugin's sized errors (413 for a file over the limit, …) and ours pass through.
 */
export async function readMultipart<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof AppError || typeof (err as { statusCode?: unknown })?.statusCode === 'number') throw err;
    throw new AppError('bad_request', {
      status: 400,
      message: 'the multipart/form-data body is malformed (truncated, or its boundary does not match the Content-Type)',
      details: [{ path: 'body', code: 'malformed_multipart' }],
    });
  }
}

/** The one uploaded file of a multipart request, field `file`, as bytes (the plugin caps it at 20 MB: 413). */
export async function uploadedFile(req: FastifyRequest): Promise<{ name: string; bytes: Buffer }> {
  if (!req.isMultipart()) throw multipartRequired('workbook');
  return readMultipart(async () => {
    const part = await req.file();
    if (part?.fieldname !== 'file') {
      if (part) part.file.resume();
      throw fileRequired('workbook');
    }
    return { name: part.filename.slice(0, 200), bytes: await part.toBuffer() };
  });
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
  await readMultipart(async () => {
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (part.fieldname === 'file' && !file) file = { name: part.filename.slice(0, 200), bytes: await part.toBuffer() };
        else part.file.resume();
      } else if (fieldNames.includes(part.fieldname) && typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
    }
  });
  if (!file) throw fileRequired('file');
  return { ...file, fields };
}
