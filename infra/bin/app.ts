import { App } from 'aws-cdk-lib';
import { buildOcsApp } from '../lib/app';
import { loadConfig } from '../lib/config';

/** `npx cdk synth|deploy`: the whole environment, configured by CDK context (README, "Deploy to AWS"). */
const app = new App();
buildOcsApp(app, loadConfig(app.node, process.env));
app.synth();
