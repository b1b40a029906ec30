import { Type } from 'typebox';

/** The one error shape of the API. */
export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      details: Type.Record(Type.String(), Type.Unknown()),
    }),
  },
  { $id: undefined, description: 'Error: { error: { code, message, details } }' },
);

/**
 * A response that is a file rather than JSON, in one of `mediaTypes`: declared per media type, so
 * that the document tells the file's type apart from the JSON errors the route may answer with.
 */
export const FileBody = (description: string, ...mediaTypes: string[]) => ({
  description,
  content: Object.fromEntries(
    mediaTypes.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
  ),
});

/** Responses every protected route can give besides its own. */
export const Refusals = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

export const Paging = {
  page: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 20 })),
};
