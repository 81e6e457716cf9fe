export { BlobRejected, type BlobInfo, type BlobStore } from './port.ts';
export { diskBlobStore } from './disk.ts';
export { DOCUMENT_TYPES, EXTENSION, sniffMime } from './sniff.ts';
