// Every label and message, in Chinese (the default) and English. `t(key,
// vars)` looks one up ({name} placeholders); elements with data-i18n (text),
// data-i18n-aria (aria-label), data-i18n-title and data-i18n-placeholder
// are filled by `translate(root)`.

const STRINGS = {
  // shell
  title: ['市井 · 流量与回头客', 'Shijing · traffic & repeat customers'],
  subtitle: ['快手式直播电商：平台怎样分流量，流量怎样变成回头客', 'Kuaishou-style live commerce: how the platform hands out traffic, and how traffic turns into repeat customers'],
  skipToContent: ['跳到内容', 'Skip to content'],
  langSwitch: ['English', '中文'],
  langSwitchAria: ['Switch to English', '切换到中文'],
  tabsAria: ['视图', 'Views'],
  tab_traffic: ['我的流量', 'My traffic'],
  tab_platform: ['平台', 'Platform'],
  tab_sensitivity: ['敏感度', 'Sensitivity'],
  tab_repeat: ['回头客', 'Repeat customers'],
  privacy: ['数据只在你的浏览器里处理，不会上传。本页面不向任何其他网站发送请求。', 'Your data is processed only in your browser and is never uploaded. This page sends no requests to any other site.'],
  copyLink: ['复制链接', 'Copy link'],
  linkCopied: ['链接已复制：打开它会看到同样的视图', 'Link copied: opening it shows this same view'],
  linkHint: ['地址栏里的链接记录了当前的全部设置', 'The address bar link holds every current setting'],
  dismiss: ['关闭', 'Dismiss'],
  errorPrefix: ['出错了：', 'Something went wrong: '],
  workerRestarted: ['计算引擎出错后已重新启动，请重试刚才的操作。', 'The calculation engine hit an error and was restarted; please try again.'],
  loading: ['计算中…', 'Calculating…'],
  version: ['模型包版本 {v}', 'package version {v}'],
  simUnavailable: ['这个版本的模型包还没有流量模拟（simulate / MarketModel），流量视图暂时不可用。回头客分析不受影响。', 'This build of the package has no traffic simulation yet (simulate / MarketModel), so the traffic views are unavailable for now. Repeat-customer analysis is not affected.'],
  E_NO_SIM: ['这个版本的模型包还没有流量模拟。', 'This build of the package has no traffic simulation yet.'],
  E_NO_MODEL: ['这个版本的模型包还没有回头客模型（{detail}）。', 'This build of the package has no repurchase model yet ({detail}).'],
  E_NO_ORDERS: ['请先读取订单文件。', 'Please load an order file first.'],
  E_EMPTY: ['文件里没有有效的订单行。', 'The file has no valid order rows.'],
  E_CAL_DATE: ['校准期截止日期无效。', 'The calibration end date is not a valid date.'],
  E_CAL_EARLY: ['校准期截止日期早于第一笔订单。', 'The calibration end date is before the first order.'],
  E_NO_FIT: ['还没有拟合好的模型。', 'No model has been fitted yet.'],

  // merchant controls
  merchant: ['我的店铺', 'My shop'],
  presets: ['从一个典型商家开始', 'Start from a typical merchant'],
  preset_custom: ['自定义', 'Custom'],
  contentQuality: ['内容质量', 'Content quality'],
  contentQualityHelp: ['视频和直播有多吸引人：点击率、完播率', 'How engaging your videos and lives are: click-through, watch-through'],
  followRate: ['关注率', 'Follow rate'],
  followRateHelp: ['点进来的人里有多少会关注你', 'Share of people who click through and follow you'],
  price: ['客单价（元）', 'Order value (yuan)'],
  trust: ['信任度', 'Trust'],
  trustHelp: ['口碑、售后、回头客指数', 'Reputation, after-sales, returning-customer index'],
  diligence: ['勤奋度', 'Diligence'],
  diligenceHelp: ['开播和发视频的频率', 'How often you go live and post'],
  followers: ['起始粉丝数', 'Starting followers'],
  adSpend: ['投放（元/天）', 'Ad spend (yuan/day)'],
  ageDays: ['开店天数', 'Shop age (days)'],
  days: ['模拟天数', 'Days simulated'],
  liveGroup: ['直播', 'Live sessions'],
  liveEvery: ['开播频率', 'How often you go live'],
  liveEveryHelp: ['直播间是信任电商的超级节点：开播那天，它和短视频一起争公域流量，也出现在粉丝的关注页。', 'The live room is the super node of trust commerce: on a live day it competes for discovery traffic with your videos and shows on your followers\' follow page.'],
  live_1: ['每天', 'Every day'],
  live_2: ['隔天一场', 'Every other day'],
  live_3: ['每3天一场', 'Every 3 days'],
  live_4: ['每4天一场', 'Every 4 days'],
  live_5: ['每5天一场', 'Every 5 days'],
  live_7: ['每周一场', 'Once a week'],
  live_14: ['每两周一场', 'Every two weeks'],
  live_0: ['不直播', 'Never'],
  liveEveryN: ['每{n}天一场', 'Every {n} days'],
  liveHours: ['每场时长', 'Session length'],
  hoursValue: ['{h}小时', '{h} h'],
  moreSettings: ['更多设置', 'More settings'],
  compareWith: ['固定为对比基准', 'Pin as baseline to compare'],
  compareHelp: ['把当前设置固定下来，再调整滑块，看看变化', 'Keep the current settings as a baseline, then move the sliders to see the change'],
  clearBaseline: ['取消对比', 'Stop comparing'],
  baselinePinned: ['对比基准：质量 {q}，关注率 {f}', 'Baseline: quality {q}, follow rate {f}'],

  // traffic headline
  headline: ['关键数字', 'Key figures'],
  whatIfLabel: ['一键试试：', 'Try one:'],
  whatIfQuality: ['内容质量再高10个百分点会怎样？', 'What if content quality were 10 points higher?'],
  whatIfFollow: ['关注率再高1个百分点会怎样？', 'What if the follow rate were 1 point higher?'],
  metric: ['指标', 'Figure'],
  first30: ['前30天', 'First 30 days'],
  first90: ['前90天', 'First 90 days'],
  vsBaseline: ['对比基准（90天）', 'vs baseline (90 days)'],
  publicExposure: ['公域曝光', 'Public exposure'],
  privateExposure: ['私域曝光', 'Private exposure'],
  followersAt: ['粉丝数（期末）', 'Followers (at the period\'s end)'],
  firstPurchases: ['T0首购', 'T0 first purchases'],
  repurchases: ['复购', 'Repurchases'],
  gmv: ['成交额（元）', 'GMV (yuan)'],
  wholeRun: ['全期', 'Whole run'],
  daysN: ['{days}天', '{days} days'],
  liveDays: ['直播场次', 'Live sessions'],
  liveGmvRow: ['其中直播间成交额（元）', 'of which in the live room (yuan)'],
  liveGmvHelp: ['开播那天直播间里的成交额，已算在上面的成交额里', 'GMV made in the live room on live days; part of the GMV above'],
  fanRate: ['粉丝购买率', 'Fan purchase rate'],
  fanRateHelp: ['这段时间的成交额里，来自粉丝（已关注你的用户）的比例', 'Share of the period\'s GMV that came from your followers'],
  pointsChange: ['{d}个百分点', '{d} pts'],
  noLive: ['这段时间没有直播：成交全部来自短视频和关注页。', 'No live sessions in this run: every sale comes from short videos and the follow page.'],
  liveLine: ['{days}天里直播 {n} 场，直播间成交额占总成交额的 {share}。', '{n} live sessions in {days} days; the live room made {share} of GMV.'],
  fanRateLiveOff: ['粉丝购买率：直播日 {live}，不直播的日子 {off}。', 'Fan purchase rate: {live} on live days, {off} on the other days.'],
  fanRateLiveOnly: ['直播日的粉丝购买率：{live}。', 'Fan purchase rate on live days: {live}.'],
  bigDayLine: ['营销大场（第{day}天）：成交额 {gmv}元，粉丝购买率 {fan}，直播间在关注页每千次曝光成交 {per1000}元。', 'Big day (day {day}): GMV ¥{gmv}, fan purchase rate {fan}, ¥{per1000} per 1,000 follow-page exposures of the live room.'],
  liveTag: ['直播', 'live'],
  bigDayMark: ['营销大场', 'Big day'],
  keyLive: ['直播日', 'Live day'],
  keyBigDay: ['营销大场', 'Big day'],
  liveExposureSeries: ['其中直播间（公域）', 'Live room (discovery)'],
  liveGmvSeries: ['其中直播间', 'Live room'],
  repurchaseTitle: ['回头客：复购率', 'Repeat buyers'],
  rate30Cohort: ['30天复购率', '30-day repurchase rate'],
  rate90Cohort: ['90天复购率', '90-day repurchase rate'],
  rate30CohortHelp: ['和商家后台的算法一样：首单在模拟结束前至少30天的首购客户里，30天内又下过单的比例', 'As a shop backend computes it: of the first-time buyers whose first order was at least 30 days before the end, the share who ordered again within 30 days'],
  rate90CohortHelp: ['和商家后台的算法一样：首单在模拟结束前至少90天的首购客户里，90天内又下过单的比例', 'As a shop backend computes it: of the first-time buyers whose first order was at least 90 days before the end, the share who ordered again within 90 days'],
  chance30: ['新客30天内再次购买的机会', 'Chance a new customer buys again within 30 days'],
  chance90: ['新客90天内再次购买的机会', 'Chance a new customer buys again within 90 days'],
  chanceHelp: ['模型的前瞻估计，不是后台的复购率：按最后一天的情况（不算直播和活动），一位刚首购的新客在这段时间里再买一次的概率', 'The model\'s forward-looking estimate, not the backend\'s rate: the chance that a customer who has just bought for the first time buys again in that time, under the last day\'s conditions (no live sessions or events)'],
  howComputed: ['这几个数怎么算？', 'How are these computed?'],
  rateCohortHow: ['30天 / 90天复购率：和商家后台一样，按首购客户算——首单在模拟结束前至少30（90）天的客户里，首单后30（90）天内又下过单的比例。模拟不满30（90）天时，之后的日子按“没有新订单”补齐。', '30- / 90-day repurchase rate: as a shop backend computes it, over first-time buyers — of those whose first order was at least 30 (90) days before the end, the share who ordered again within 30 (90) days of it. When the run is shorter, the days after it count as days without orders.'],
  chanceHow: ['新客再次购买的机会：模型按最后一天的情况（不算直播和活动）估计一位刚首购的新客会不会再买。它是对以后的估计，不是后台的复购率，不要拿两者直接比较。', 'Chance a new customer buys again: the model\'s estimate, under the last day\'s conditions (no live sessions or events), for a customer who has just bought for the first time. It looks ahead; it is not the backend\'s rate, and the two should not be compared directly.'],
  percentileLine: ['你的公域曝光超过了 {p} 的商家', 'Your public exposure is above {p} of merchants'],
  capped: ['你有 {n} 天顶到了平台的头部上限：那些天里，再提高内容质量也换不来更多公域曝光了。它的回报在转化和涨粉上——也就是私域流量和复购。', 'You hit the platform\'s head cap on {n} days: on those days more content quality no longer buys public exposure. It pays through conversion and new followers — private traffic and repurchases.'],
  notCapped: ['你还没有碰到平台的头部上限：更好的内容会直接带来更多公域曝光。', 'You are below the platform\'s head cap: better content still buys more public exposure.'],
  na: ['—', '—'],
  chartExposure: ['每日曝光：公域 vs 私域', 'Daily exposure: public vs private'],
  chartFollowers: ['粉丝数', 'Followers'],
  chartPurchases: ['每日订单：T0首购 vs 复购', 'Daily orders: T0 first purchases vs repurchases'],
  chartGmv: ['每日成交额（元）', 'Daily GMV (yuan)'],
  day: ['第几天', 'Day'],
  baselineSuffix: ['（基准）', ' (baseline)'],
  answerBetter: ['和基准相比，90天成交额 {gmv}，私域曝光 {priv}，复购 {rep}。', 'Against the baseline: 90-day GMV {gmv}, private exposure {priv}, repurchases {rep}.'],
  answerHint: ['点上面的按钮；或者先点“固定为对比基准”，再拖动内容质量或关注率，就能看到多赚多少。', 'Press a button above; or pin a baseline, then move content quality or follow rate to see what you gain.'],

  // platform
  platformSettings: ['平台规则', 'Platform rules'],
  budget: ['发现页每日曝光预算', 'Discovery exposures per day'],
  giniMax: ['基尼系数上限', 'Gini limit'],
  giniMaxHelp: ['平台允许公域曝光有多集中：越小越“去中心化”', 'How concentrated public exposure may get: smaller is more decentralized'],
  giniMode: ['上限方式', 'How the limit applies'],
  gmode_cap: ['封顶（压头部）', 'Cap (trim the head)'],
  gmode_floor: ['保底（托长尾）', 'Floor (lift the tail)'],
  gmode_blend: ['混合', 'Blend'],
  blend: ['混合比例', 'Blend'],
  coldStartShare: ['冷启动流量占比', 'Cold-start share'],
  coldStartHelp: ['留给新商家的公域流量（青云计划）', 'Public traffic reserved for new merchants'],
  platformFigures: ['平台上曝光的集中度', 'How concentrated exposure is'],
  gini: ['基尼系数', 'Gini'],
  top10Share: ['前10%商家的曝光份额', 'Top 10% share of exposure'],
  bottom50Share: ['后50%商家的曝光份额', 'Bottom 50% share of exposure'],
  longTailPlayShare: ['中长尾播放占比', 'Long-tail play share'],
  yourPercentile: ['你的位置', 'Where you stand'],
  percentileValue: ['超过 {p} 的商家', 'above {p} of merchants'],
  chartLorenz: ['曝光的洛伦兹曲线', 'Lorenz curve of exposure'],
  lorenzX: ['商家累计占比（从少到多）', 'Share of merchants (least to most)'],
  lorenzY: ['曝光累计占比', 'Share of exposure'],
  lorenzSeries: ['洛伦兹曲线', 'Lorenz curve'],
  equality: ['完全平均', 'Perfect equality'],
  youMark: ['你', 'You'],
  youAre: ['“你”是“我的流量”里设置的店铺，从“{name}”开始', '"You" are the shop set in My traffic, starting from "{name}"'],
  chartConcentration: ['每日集中度', 'Concentration by day'],
  platformNote: ['基尼系数越低，曝光越分散；平台用上限让中小商家的好内容也能被看到。', 'The lower the Gini, the more evenly exposure is spread; the platform\'s limit lets good content from small merchants be seen.'],

  // sensitivity
  sensTitle: ['内容质量 × 关注率：{days}天的结果', 'Content quality × follow rate: results over {days} days'],
  sensMetric: ['看哪个数', 'Show'],
  sensGrid: ['网格', 'Grid'],
  grid6: ['粗（6×6）', 'Coarse (6×6)'],
  grid11: ['中（11×11）', 'Medium (11×11)'],
  grid21: ['细（21×21）', 'Fine (21×21)'],
  heatKeys: ['在热力图上按方向键，可以一格一格地移动你的位置。', 'On the heatmap, the arrow keys move your point one cell at a time.'],
  logScale: ['颜色按对数刻度', 'log colour scale'],
  sensHelp: ['颜色越亮，数值越高。圆圈是你现在的位置；点一个格子，就把你的内容质量和关注率设成那里。', 'Brighter means higher. The circle is where you are now; click a cell to set your content quality and follow rate to it.'],
  sensCell: ['质量 {q}，关注率 {f}：{v}', 'quality {q}, follow rate {f}: {v}'],
  sensHere: ['你现在：{v}', 'You now: {v}'],
  sensBest: ['网格里最高：{v}（质量 {q}，关注率 {f}）', 'Best on the grid: {v} (quality {q}, follow rate {f})'],
  heatAria: ['热力图：{m}，横轴关注率，纵轴内容质量', 'Heatmap of {m}: follow rate across, content quality up'],
  gmvShort: ['成交额', 'GMV'],
  followersShort: ['粉丝数', 'Followers'],

  // repeat customers
  repeatIntro: ['上传订单记录（每行一笔：客户、日期、金额），看看哪些客户这个月会回来买。', 'Upload your order log (one order per row: customer, date, amount) to see which customers will come back this month.'],
  dropHere: ['把 CSV 文件拖到这里，或点击选择文件', 'Drop a CSV file here, or click to choose one'],
  pickFile: ['选择订单文件', 'Choose an order file'],
  trySample: ['用示例数据试试（CDNOW）', 'Try the sample data (CDNOW)'],
  fileInfo: ['{name} · {size} · 编码 {enc}', '{name} · {size} · encoding {enc}'],
  mapping: ['列对应', 'Column mapping'],
  colCustomer: ['客户列', 'Customer column'],
  colDate: ['日期列', 'Date column'],
  colAmount: ['金额列', 'Amount column'],
  noAmount: ['（没有金额）', '(no amount)'],
  hasHeader: ['第一行是表头', 'First row is a header'],
  dateFormat: ['日期格式', 'Date format'],
  df_ymd: ['年-月-日（2024-03-05、2024/3/5）', 'Year-month-day (2024-03-05, 2024/3/5)'],
  df_compact: ['年月日连写（20240305）', 'Compact (20240305)'],
  df_dmy: ['日/月/年（05/03/2024）', 'Day/month/year (05/03/2024)'],
  df_mdy: ['月/日/年（03/05/2024）', 'Month/day/year (03/05/2024)'],
  'df_epoch-s': ['时间戳（秒）', 'Unix time (seconds)'],
  'df_epoch-ms': ['时间戳（毫秒）', 'Unix time (milliseconds)'],
  dateAmbiguous: ['日期有歧义：像 03/04/2024 这样的日期，可能是3月4日，也可能是4月3日。请选择你的文件用的是哪种。', 'Ambiguous dates: 03/04/2024 could be 3 April or 4 March. Please choose which your file uses.'],
  dateUnknown: ['没认出日期格式，请选择日期列和格式。', 'Could not recognise the date format; please choose the date column and format.'],
  preview: ['预览（前几行）', 'Preview (first rows)'],
  previewDate: ['→ {d}', '→ {d}'],
  previewBadDate: ['→ 无法识别', '→ not a date'],
  analyse: ['开始分析', 'Analyse'],
  parsing: ['正在读取：{loaded} / {total}，{rows} 行', 'Reading: {loaded} / {total}, {rows} lines'],
  parsed: ['读取完成：{orders} 笔订单，{customers} 位客户，{first} 至 {last}（{ms} 秒）', 'Read: {orders} orders, {customers} customers, {first} to {last} ({ms} s)'],
  malformedNone: ['没有格式错误的行。', 'No malformed rows.'],
  malformedSome: ['{n} 行格式有问题，没有计入（按行号列出）：', '{n} malformed rows were not counted (listed by line number):'],
  malformedMore: ['只列出前 {shown} 行，共 {n} 行。', 'Showing the first {shown} of {n}.'],
  blankLines: ['另有 {n} 个空行被跳过。', '{n} blank lines were skipped.'],
  line: ['第 {n} 行', 'Line {n}'],
  reason_columns: ['列数不够', 'too few columns'],
  reason_customer: ['客户为空', 'empty customer'],
  reason_date: ['日期无法识别', 'unreadable date'],
  reason_amount: ['金额不是数字', 'amount is not a number'],
  reason_negative: ['金额为负（退款？）', 'negative amount (a refund?)'],
  modelSettings: ['模型', 'Model'],
  model: ['预测模型', 'Prediction model'],
  model_bgnbd: ['BG/NBD（推荐）', 'BG/NBD (recommended)'],
  model_mbgnbd: ['MBG/NBD', 'MBG/NBD'],
  model_pnbd: ['Pareto/NBD', 'Pareto/NBD'],
  unit: ['时间单位', 'Time unit'],
  unit_7: ['周', 'Weeks'],
  unit_1: ['天', 'Days'],
  calEnd: ['校准期截止（之后的订单用来检验）', 'Calibration ends (later orders are held out to check)'],
  calEndHelp: ['留空：用全部订单拟合，预测从最后一天往后算。', 'Leave empty to fit on all orders and predict from the last day on.'],
  fitting: ['正在拟合模型…', 'Fitting the model…'],
  results: ['预测结果', 'Predictions'],
  repeatAnswer: ['预计未来30天，{customers} 位客户里约有 {n} 位会回来再买（{rate}）。最可能回来的客户列在下面的表里，可以导出。', 'In the next 30 days, about {n} of your {customers} customers are expected to buy again ({rate}). The most likely ones are in the table below, ready to export.'],
  // the fitted model's forward-looking figures: not the backend's cohort rate (30天复购率), so not its name
  rate30: ['未来30天会回购的客户占比（预计）', 'Expected share of customers buying again in the next 30 days'],
  rate90: ['未来90天会回购的客户占比（预计）', 'Expected share of customers buying again in the next 90 days'],
  aliveShare: ['可能还“活着”的客户', 'Customers likely still active'],
  expected30: ['30天内预计回购人次', 'Expected repeat purchases in 30 days'],
  rateHelp: ['从{date}往后算，每位客户至少再买一次的概率的平均值', 'From {date} on: the average chance that a customer buys again at least once'],
  params: ['拟合参数', 'Fitted parameters'],
  paramsUnit: ['时间单位：{u}', 'time unit: {u}'],
  logLik: ['对数似然', 'Log-likelihood'],
  converged: ['收敛', 'Converged'],
  fitWarning: ['拟合没有完全收敛，或参数落在边界上，结果仅供参考：', 'The fit did not fully converge, or a parameter is at its boundary; treat the results with care:'],
  fewCustomers: ['只有 {n} 位客户：数据太少，预测很不可靠。几百位以上的客户，结果才有参考价值。', 'Only {n} customers: too few for reliable predictions. Results start to mean something with a few hundred customers or more.'],
  yes: ['是', 'yes'],
  no: ['否', 'no'],
  chartAlive: ['P(活跃) 分布：客户还在买的概率', 'P(alive): how likely each customer is still buying'],
  aliveX: ['P(活跃)', 'P(alive)'],
  customersAxis: ['客户数', 'Customers'],
  chartHoldout: ['校准 / 检验：按校准期购买次数分组，检验期平均购买次数', 'Calibration / holdout: mean purchases in the holdout, by purchases in calibration'],
  holdoutX: ['校准期重复购买次数（7 = 7次及以上）', 'Repeat purchases in calibration (7 = 7 or more)'],
  holdoutActual: ['实际', 'Actual'],
  holdoutPredicted: ['模型预测', 'Model'],
  holdoutTotals: ['检验期总购买：实际 {a}，预测 {p}', 'Holdout purchases in total: actual {a}, predicted {p}'],
  topCustomers: ['最可能在30天内回购的客户', 'Customers most likely to buy in the next 30 days'],
  topNote: ['列出前 {n} 位，点表头排序；导出包含全部 {all} 位客户。', 'Top {n} shown; click a header to sort. The export has all {all} customers.'],
  th_id: ['客户', 'Customer'],
  th_frequency: ['重复购买次数', 'Repeat purchases'],
  th_recency: ['最近一次（距首购）', 'Recency (since first)'],
  th_T: ['客龄', 'Age (T)'],
  th_alive: ['P(活跃)', 'P(alive)'],
  th_p30: ['30天内回购概率', 'P(buy in 30 days)'],
  th_e30: ['30天预计次数', 'Expected in 30 days'],
  th_e90: ['90天预计次数', 'Expected in 90 days'],
  th_spend: ['预计客单价', 'Expected order value'],
  th_p90: ['90天内回购概率', 'P(buy in 90 days)'],
  exportCsv: ['导出预测（CSV）', 'Export predictions (CSV)'],
  progressAria: ['读取进度', 'Reading progress'],
  ggParams: ['客单价模型（Gamma-Gamma）', 'Order value model (Gamma-Gamma)'],
};

let lang = 'zh';
const listeners = new Set();

export function getLang() { return lang; }
export function setLang(l) {
  lang = l === 'en' ? 'en' : 'zh';
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  for (const fn of listeners) fn(lang);
}
export function onLang(fn) { listeners.add(fn); return () => listeners.delete(fn); }

export function has(key) { return key in STRINGS; }

export function t(key, vars) {
  const e = STRINGS[key];
  let s = e ? e[lang === 'zh' ? 0 : 1] : key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  return s;
}

/** The table itself (for the completeness test). */
export function table() { return STRINGS; }

export function translate(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-aria]')) el.setAttribute('aria-label', t(el.dataset.i18nAria));
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
}

// ---------- numbers ----------

const cache = new Map();
function nf(key, opts) {
  const k = `${lang}|${key}`;
  if (!cache.has(k)) cache.set(k, new Intl.NumberFormat(lang === 'zh' ? 'zh-CN' : 'en-US', opts));
  return cache.get(k);
}

/** 12,345 → "1.23万" / "12.3K". */
export function fmtCompact(x) {
  if (x == null || !Number.isFinite(x)) return '—';
  if (Math.abs(x) < 1000) return nf('small', { maximumFractionDigits: Math.abs(x) < 10 ? 2 : Math.abs(x) < 100 ? 1 : 0 }).format(x);
  return nf('compact', { notation: 'compact', maximumSignificantDigits: 3 }).format(x);
}
export function fmtInt(x) { return Number.isFinite(x) ? nf('int', { maximumFractionDigits: 0 }).format(x) : '—'; }
export function fmtPct(x, digits = 1) { return Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '—'; }
export function fmtSignedPct(x) { return Number.isFinite(x) ? `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%` : '—'; }
export function fmtNum(x, digits = 4) { return Number.isFinite(x) ? x.toFixed(digits) : '—'; }
export function fmtBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
