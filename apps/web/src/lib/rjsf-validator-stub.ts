/**
 * @rjsf/core's test helper (getTestRegistry) imports @rjsf/validator-ajv8, which the site does
 * not use: Ajv compiles schemas with `eval`, which the Content-Security-Policy forbids. The
 * build points that import here; the forms use components/OnlineForm.tsx's validator.
 */
import { localValidator } from '../components/OnlineForm';

export default localValidator;
export const customizeValidator = () => localValidator;
