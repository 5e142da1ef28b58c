<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>AlarmBannerWidget</name>
    <message>
        <location filename="../../widgets/alarm_banner.py" line="243"/>
        <source>+{n} more</source>
        <translation>另有 {n} 条</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_banner.py" line="250"/>
        <source>ALARM FLOOD: {n} alarms in {m} min — {groups}</source>
        <translation>告警泛滥：{m} 分钟内 {n} 条 — {groups}</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_banner.py" line="253"/>
        <source>ALARM FLOOD: {n} alarms in {m} min — grouped</source>
        <translation>告警泛滥：{m} 分钟内 {n} 条，已分组</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_banner.py" line="356"/>
        <source>No unacknowledged high-severity alarms</source>
        <translation>无未确认的高等级告警</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_banner.py" line="362"/>
        <source>NEW</source>
        <translation>新告警</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_banner.py" line="363"/>
        <source>CLEARED</source>
        <translation>已恢复</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_banner.py" line="656"/>
        <source>ALARM FLOOD: {n} alarms in {m} min</source>
        <translation>告警泛滥：{m} 分钟内 {n} 条</translation>
    </message>
</context>
<context>
    <name>AlarmListView</name>
    <message>
        <location filename="../../widgets/alarm_list.py" line="111"/>
        <source>UNACKNOWLEDGED</source>
        <translation>未确认</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="113"/>
        <source>Acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="115"/>
        <source>RTN – unacknowledged</source>
        <translation>已恢复 – 未确认</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="117"/>
        <source>Cleared</source>
        <translation>已消除</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="119"/>
        <source>Shelved</source>
        <translation>已搁置</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="121"/>
        <source>Suppressed</source>
        <translation>已抑制</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="122"/>
        <source>Out of service</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="135"/>
        <source>{n} unacknowledged</source>
        <translation>{n} 条未确认</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="137"/>
        <source>{n} returned to normal, unacknowledged</source>
        <translation>{n} 条已恢复未确认</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="141"/>
        <source>{n} acknowledged</source>
        <translation>{n} 条已确认</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="143"/>
        <source>{n} cleared</source>
        <translation>{n} 条已消除</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="145"/>
        <source>{n} shelved</source>
        <translation>{n} 条已搁置</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="147"/>
        <source>{n} suppressed</source>
        <translation>{n} 条已抑制</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="148"/>
        <source>{n} out of service</source>
        <translation>{n} 条停用</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="169"/>
        <location filename="../../widgets/alarm_list.py" line="641"/>
        <source>No alarms</source>
        <translation>无告警</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="173"/>
        <source>1 alarm:</source>
        <translation>共 1 条告警：</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="175"/>
        <source>{n} alarms:</source>
        <translation>共 {n} 条告警：</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="193"/>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="195"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="197"/>
        <source>Source</source>
        <translation>来源</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="199"/>
        <source>Alarm</source>
        <translation>告警</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="201"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="202"/>
        <source>Ack by</source>
        <translation>确认人</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="208"/>
        <source>active</source>
        <translation>告警中</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="210"/>
        <source>returned to normal</source>
        <translation>已恢复正常</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="211"/>
        <source>acknowledged by {who}</source>
        <translation>由 {who} 确认</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="213"/>
        <source>acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="215"/>
        <source>unacknowledged</source>
        <translation>未确认</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="218"/>
        <source>shelved</source>
        <translation>已搁置</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="220"/>
        <source>suppressed</source>
        <translation>已抑制</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="222"/>
        <source>out of service</source>
        <translation>停用</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="223"/>
        <source>occurrence {n}</source>
        <translation>第 {n} 次触发</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="225"/>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="670"/>
        <location filename="../../widgets/alarm_list.py" line="934"/>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="674"/>
        <source>Shelve</source>
        <translation>搁置</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="939"/>
        <source>Acknowledge {message} · {source}</source>
        <translation>确认 {message} · {source}</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="933"/>
        <source>No alarm selected</source>
        <translation>未选择告警</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="944"/>
        <source>{level} {n} · {source}: {message} — {flags}</source>
        <translation>{level} {n} · {source}：{message} — {flags}</translation>
    </message>
    <message>
        <location filename="../../widgets/alarm_list.py" line="993"/>
        <source>Shelved until 88:88</source>
        <translation>搁置至 88:88</translation>
    </message>
</context>
<context>
    <name>Alarms</name>
    <message>
        <location filename="../../cockpit/present/alarms.py" line="75"/>
        <source>shelved until {time}</source>
        <translation>搁置至 {time}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/alarms.py" line="77"/>
        <source>shelved until it clears</source>
        <translation>搁置至恢复正常</translation>
    </message>
</context>
<context>
    <name>Audit</name>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="36"/>
        <source>, </source>
        <translation>，</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="52"/>
        <source>command</source>
        <translation>指令</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="53"/>
        <source>event</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="54"/>
        <source>unit</source>
        <translation>力量</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="55"/>
        <source>plan or task</source>
        <translation>预案或任务</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="56"/>
        <source>note</source>
        <translation>备注</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="57"/>
        <source>confirmed twice</source>
        <translation>二次确认</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="58"/>
        <source>occurrence</source>
        <translation>第几次发生</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="59"/>
        <source>until</source>
        <translation>截至</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="60"/>
        <source>backend epoch</source>
        <translation>后台纪元</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="61"/>
        <source>cockpit</source>
        <translation>驾驶舱</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="62"/>
        <source>token fingerprint</source>
        <translation>令牌指纹</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="63"/>
        <source>drill</source>
        <translation>演练</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="64"/>
        <source>script</source>
        <translation>脚本</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="65"/>
        <source>line</source>
        <translation>行</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="66"/>
        <source>bytes</source>
        <translation>字节</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="67"/>
        <source>copy</source>
        <translation>副本</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="68"/>
        <source>previous file</source>
        <translation>原文件</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="69"/>
        <source>previous chain</source>
        <translation>原链</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="70"/>
        <source>break</source>
        <translation>断点</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="71"/>
        <source>reason</source>
        <translation>原因</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="81"/>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="88"/>
        <source>login</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="89"/>
        <source>drill started</source>
        <translation>演练开始</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="90"/>
        <source>drill ended</source>
        <translation>演练结束</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="91"/>
        <source>held command sent after all</source>
        <translation>已确认发送被搁置的指令</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="92"/>
        <source>held command discarded</source>
        <translation>已放弃被搁置的指令</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="93"/>
        <source>stopped sending an unanswered command</source>
        <translation>已停止重发未应答的指令</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="94"/>
        <source>audit log recovered</source>
        <translation>审计日志已恢复</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="95"/>
        <source>audit log restarted</source>
        <translation>审计日志已重新开始</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="102"/>
        <source>Chain intact: {n} records, header to last line</source>
        <translation>审计链完整：共 {n} 条记录，从文件头到最后一行</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="104"/>
        <source>CHAIN BROKEN at line {line} ({kind}): {reason}</source>
        <translation>审计链在第 {line} 行断裂（{kind}）：{reason}</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="126"/>
        <source>No audit log in this mode (replay or test)</source>
        <translation>此模式（回放或测试）下无审计日志</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="129"/>
        <source>Audit log: {path}</source>
        <translation>审计日志：{path}</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/audit_ui.py" line="161"/>
        <source>cannot read {path}: {error}</source>
        <translation>无法读取 {path}：{error}</translation>
    </message>
</context>
<context>
    <name>AuditView</name>
    <message>
        <location filename="../../widgets/audit_view.py" line="48"/>
        <source>Verify the chain</source>
        <translation>校验审计链</translation>
    </message>
    <message>
        <location filename="../../widgets/audit_view.py" line="54"/>
        <source>#</source>
        <translation>序号</translation>
    </message>
    <message>
        <location filename="../../widgets/audit_view.py" line="55"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../widgets/audit_view.py" line="56"/>
        <source>Operator</source>
        <translation>操作员</translation>
    </message>
    <message>
        <location filename="../../widgets/audit_view.py" line="57"/>
        <source>Role</source>
        <translation>角色</translation>
    </message>
    <message>
        <location filename="../../widgets/audit_view.py" line="58"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../widgets/audit_view.py" line="59"/>
        <source>Details</source>
        <translation>详情</translation>
    </message>
    <message>
        <location filename="../../widgets/audit_view.py" line="108"/>
        <source>Verifying the chain…</source>
        <translation>正在校验审计链…</translation>
    </message>
</context>
<context>
    <name>BarGauges</name>
    <message>
        <location filename="../../widgets/bar_gauges.py" line="85"/>
        <source>No data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <location filename="../../widgets/bar_gauges.py" line="131"/>
        <source>+{n} more</source>
        <translation>另有 {n} 项</translation>
    </message>
</context>
<context>
    <name>Bars</name>
    <message>
        <location filename="../../cockpit/present/panels/bars.py" line="90"/>
        <source>alarm {v}</source>
        <translation>报警 {v}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/bars.py" line="90"/>
        <source>warning {v}</source>
        <translation>预警 {v}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/bars.py" line="106"/>
        <location filename="../../cockpit/present/panels/bars.py" line="109"/>
        <source>under {v}</source>
        <translation>低于 {v}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/bars.py" line="106"/>
        <location filename="../../cockpit/present/panels/bars.py" line="109"/>
        <source>over {v}</source>
        <translation>超过 {v}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/bars.py" line="111"/>
        <source>not current</source>
        <translation>非实时</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/bars.py" line="113"/>
        <source>no data</source>
        <translation>无数据</translation>
    </message>
</context>
<context>
    <name>Card</name>
    <message>
        <location filename="../../cockpit/present/panels/card.py" line="77"/>
        <source>No open event</source>
        <translation>无在办事件</translation>
    </message>
</context>
<context>
    <name>ClosedLoop</name>
    <message>
        <location filename="../../widgets/closed_loop.py" line="83"/>
        <source>No figures</source>
        <translation>无数据</translation>
    </message>
    <message>
        <location filename="../../widgets/closed_loop.py" line="116"/>
        <location filename="../../widgets/closed_loop.py" line="179"/>
        <source>{n} late</source>
        <translation>超时{n}</translation>
    </message>
    <message>
        <location filename="../../widgets/closed_loop.py" line="97"/>
        <location filename="../../widgets/closed_loop.py" line="156"/>
        <location filename="../../widgets/closed_loop.py" line="166"/>
        <location filename="../../widgets/closed_loop.py" line="194"/>
        <source>+{n} more</source>
        <translation>另有 {n} 项</translation>
    </message>
</context>
<context>
    <name>Cockpit</name>
    <message>
        <location filename="../../cockpit/app/run.py" line="239"/>
        <source>DEMO</source>
        <translation>演示</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wiring.py" line="252"/>
        <location filename="../../cockpit/app/wiring.py" line="746"/>
        <source>audit log not written: {error}</source>
        <translation>审计日志未写入：{error}</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wiring.py" line="273"/>
        <source>cannot record into {dir}: {error}</source>
        <translation>无法录制到 {dir}：{error}</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wiring.py" line="330"/>
        <source>its file was refused</source>
        <translation>其文件被拒绝</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wiring.py" line="332"/>
        <source>no runway file has that id</source>
        <translation>没有该编号的跑道文件</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wiring.py" line="334"/>
        <source>wall layout: runway {id} is not shown: {why}</source>
        <translation>大屏布局：跑道 {id} 未显示：{why}</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wiring.py" line="378"/>
        <source>Audit trail</source>
        <translation>审计日志</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wiring.py" line="384"/>
        <source>Plotting</source>
        <translation>标绘</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wiring.py" line="476"/>
        <source>Export the drawings</source>
        <translation>导出标绘</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wiring.py" line="482"/>
        <source>export not written: {error}</source>
        <translation>导出文件未写入：{error}</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wiring.py" line="707"/>
        <source>outbox: {detail}</source>
        <translation>发件箱：{detail}</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wiring.py" line="720"/>
        <source>○ not recording</source>
        <translation>○ 未录制</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wiring.py" line="773"/>
        <source>camera {name}: {what}</source>
        <translation>摄像机 {name}：{what}</translation>
    </message>
</context>
<context>
    <name>Commands</name>
    <message>
        <location filename="../../cockpit/present/commands.py" line="96"/>
        <source>an emergency plan</source>
        <translation>应急预案</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/commands.py" line="255"/>
        <source>accepted before the backend restarted without its state: progress unknown</source>
        <translation>后端重启前已受理，后端未保留状态：进展未知</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/commands.py" line="310"/>
        <source>an event no longer shown</source>
        <translation>已不在大屏上的事件</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/commands.py" line="317"/>
        <source>a drawing</source>
        <translation>一处标绘</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/commands.py" line="325"/>
        <source>a dispatch</source>
        <translation>一项调度</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/commands.py" line="164"/>
        <source>Your role ({role}) may not {action}; allowed: {allowed}</source>
        <translation>当前角色（{role}）无权{action}；有权角色：{allowed}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/commands.py" line="170"/>
        <source>waiting for the answer to the last one</source>
        <translation>正在等待上一条指令的回应</translation>
    </message>
</context>
<context>
    <name>ConfirmButton</name>
    <message>
        <location filename="../../widgets/confirm_button.py" line="118"/>
        <location filename="../../widgets/confirm_button.py" line="159"/>
        <source>Not confirmed: timed out</source>
        <translation>未确认：已超时</translation>
    </message>
    <message>
        <location filename="../../widgets/confirm_button.py" line="137"/>
        <source>Confirm: {action}? {n} s</source>
        <translation>确认：{action}？{n} 秒</translation>
    </message>
</context>
<context>
    <name>ConnectionStatusWidget</name>
    <message>
        <location filename="../../widgets/status_bar.py" line="20"/>
        <location filename="../../widgets/status_bar.py" line="22"/>
        <source>{n} s</source>
        <translation>{n} 秒</translation>
    </message>
    <message>
        <location filename="../../widgets/status_bar.py" line="24"/>
        <source>{n} min</source>
        <translation>{n} 分钟</translation>
    </message>
    <message>
        <location filename="../../widgets/status_bar.py" line="25"/>
        <source>{n} h</source>
        <translation>{n} 小时</translation>
    </message>
    <message>
        <location filename="../../widgets/status_bar.py" line="81"/>
        <source>no data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <location filename="../../widgets/status_bar.py" line="82"/>
        <source>data {age} old</source>
        <translation>数据延迟 {age}</translation>
    </message>
</context>
<context>
    <name>Console</name>
    <message>
        <location filename="../../cockpit/present/console.py" line="53"/>
        <source>Every open event</source>
        <translation>全部未结事件</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/console.py" line="74"/>
        <source>Names and risk points as last received {when}, kept on disk: the backend has not sent them since</source>
        <translation>名称与风险点为 {when} 最后收到的数据（本地保存）：此后后端尚未发送</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/console.py" line="94"/>
        <source>{as_of} · not live: alarms may be missing</source>
        <translation>{as_of} · 非实时：可能有告警缺失</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/console.py" line="138"/>
        <source>Shelve: {event} · {district}</source>
        <translation>搁置：{event} · {district}</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/console.py" line="62"/>
        <source>Cockpit · operator console</source>
        <translation>驾驶舱 · 值班控制台</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/console.py" line="93"/>
        <source>Alarms</source>
        <translation>告警</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/console.py" line="106"/>
        <source>Sensor under maintenance</source>
        <translation>传感器检修中</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/console.py" line="106"/>
        <source>Known fault, repair ordered</source>
        <translation>已知故障，已报修</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/console.py" line="106"/>
        <source>Nuisance: chattering</source>
        <translation>干扰告警：频繁抖动</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/console.py" line="108"/>
        <source>until it clears</source>
        <translation>至告警恢复</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/console.py" line="109"/>
        <source>15 min</source>
        <translation>15 分钟</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/console.py" line="110"/>
        <source>1 h</source>
        <translation>1 小时</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/console.py" line="111"/>
        <source>4 h</source>
        <translation>4 小时</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/console.py" line="112"/>
        <source>8 h</source>
        <translation>8 小时</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/console.py" line="131"/>
        <source>Runway</source>
        <translation>跑道</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/console.py" line="131"/>
        <source>Screen</source>
        <translation>屏幕</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/console.py" line="131"/>
        <source>Geometry</source>
        <translation>位置</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/console.py" line="161"/>
        <source>Wall</source>
        <translation>大屏</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/console.py" line="166"/>
        <source>Alarm KPIs</source>
        <translation>告警指标</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/console.py" line="220"/>
        <source>console</source>
        <translation>控制台</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/console.py" line="222"/>
        <source>this console (desk monitor)</source>
        <translation>本控制台（桌面显示器）</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/console.py" line="228"/>
        <source>Runways on the wall: {placed} (screens: {screens}) · in this console: {console}</source>
        <translation>上墙跑道：{placed}（屏幕：{screens}）· 本控制台：{console}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/console.py" line="113"/>
        <source>Alarm rate: {n10} in the last 10 min (acceptable: ≤ 1), {nh} in the last hour (≤ 6)</source>
        <translation>告警率：近 10 分钟 {n10} 条（可接受：≤ 1），近 1 小时 {nh} 条（≤ 6）</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/console.py" line="116"/>
        <source>Time in flood: {pct:.1f} % of the {observed} watched</source>
        <translation>告警泛滥时间：已监视 {observed} 中的 {pct:.1f} %</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/console.py" line="119"/>
        <source>Flood now: {state}</source>
        <translation>当前告警泛滥：{state}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/console.py" line="120"/>
        <source>yes, {n} alarms in 10 min: {groups}</source>
        <translation>是，10 分钟内 {n} 条：{groups}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/console.py" line="122"/>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/console.py" line="124"/>
        <source>Top bad actors: {list}</source>
        <translation>高频告警源：{list}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/console.py" line="125"/>
        <location filename="../../cockpit/present/console.py" line="128"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/console.py" line="127"/>
        <source>Chattering: {list}</source>
        <translation>抖动告警：{list}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/console.py" line="130"/>
        <source>Stale (active and unacknowledged over 24 h): {n}</source>
        <translation>长期未处理（告警中且超过 24 小时未确认）：{n}</translation>
    </message>
</context>
<context>
    <name>Dispatch</name>
    <message>
        <location filename="../../cockpit/present/panels/dispatch.py" line="111"/>
        <source>The event is no longer on the wall</source>
        <translation>该事件已不在大屏上</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/dispatch.py" line="113"/>
        <source>No open events</source>
        <translation>没有未结事件</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/dispatch.py" line="115"/>
        <source>No open {runway} events</source>
        <translation>没有未结的{runway}事件</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/dispatch.py" line="127"/>
        <source>held by the {level}</source>
        <translation>由{level}负责</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/dispatch.py" line="130"/>
        <source>another unit: {unit}</source>
        <translation>增派：{unit}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/dispatch.py" line="138"/>
        <source>{unit}: {state}</source>
        <translation>{unit}：{state}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/dispatch.py" line="144"/>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/dispatch.py" line="165"/>
        <source>Acknowledge {event} · {district}</source>
        <translation>确认 {event} · {district}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/dispatch.py" line="171"/>
        <source>Activate plan: {plan}</source>
        <translation>启动预案：{plan}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/dispatch.py" line="174"/>
        <source>Escalate to {level}</source>
        <translation>升级上报至{level}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/dispatch.py" line="176"/>
        <source>Hand down to {level}</source>
        <translation>下派至{level}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/dispatch.py" line="181"/>
        <source>Call off {unit}</source>
        <translation>撤回 {unit}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/dispatch.py" line="183"/>
        <source>Unshelve</source>
        <translation>取消搁置</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/dispatch.py" line="185"/>
        <source>Close event</source>
        <translation>结案</translation>
    </message>
</context>
<context>
    <name>DispatchBoard</name>
    <message>
        <location filename="../../widgets/dispatch_board.py" line="76"/>
        <source>Dispatch board</source>
        <translation>调度看板</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_board.py" line="84"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_board.py" line="85"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_board.py" line="86"/>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_board.py" line="87"/>
        <source>Unit / plan</source>
        <translation>力量 / 预案</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_board.py" line="88"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_board.py" line="106"/>
        <source>Cancel dispatch</source>
        <translation>撤回调度</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_board.py" line="109"/>
        <source>Send anyway</source>
        <translation>仍然发送</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_board.py" line="111"/>
        <source>Discard</source>
        <translation>放弃</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_board.py" line="114"/>
        <source>Stop sending</source>
        <translation>停止重发</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_board.py" line="118"/>
        <source>The backend has not answered; it may still have acted. Stop sending it again?</source>
        <translation>后端尚未应答，指令可能已经生效。停止重发？</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_board.py" line="244"/>
        <source>{n} running</source>
        <translation>进行中 {n} 条</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_board.py" line="247"/>
        <source>{n} unanswered: do not repeat them</source>
        <translation>{n} 条未应答：请勿重复下达</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_board.py" line="250"/>
        <source>{n} need attention</source>
        <translation>需处理 {n} 条</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_board.py" line="253"/>
        <source>{n} held: confirm or discard</source>
        <translation>暂扣 {n} 条：请确认发送或放弃</translation>
    </message>
</context>
<context>
    <name>DispatchPanel</name>
    <message>
        <location filename="../../widgets/dispatch_button.py" line="100"/>
        <source>Selected event</source>
        <translation>选中事件</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_button.py" line="172"/>
        <source>No event selected</source>
        <translation>未选择事件</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_button.py" line="175"/>
        <source>Send {unit} →</source>
        <translation>派遣 {unit} →</translation>
    </message>
    <message>
        <location filename="../../widgets/dispatch_button.py" line="177"/>
        <source>No unit recommended</source>
        <translation>无推荐力量</translation>
    </message>
</context>
<context>
    <name>EventCard</name>
    <message>
        <location filename="../../widgets/event_card.py" line="82"/>
        <source>No event</source>
        <translation>无事件</translation>
    </message>
    <message>
        <location filename="../../widgets/event_card.py" line="138"/>
        <source>+{n} more</source>
        <translation>另有 {n} 项</translation>
    </message>
</context>
<context>
    <name>EventListView</name>
    <message>
        <location filename="../../widgets/event_list.py" line="81"/>
        <source>Level</source>
        <translation>等级</translation>
    </message>
    <message>
        <location filename="../../widgets/event_list.py" line="83"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../widgets/event_list.py" line="85"/>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../widgets/event_list.py" line="87"/>
        <source>District</source>
        <translation>辖区</translation>
    </message>
    <message>
        <location filename="../../widgets/event_list.py" line="89"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../widgets/event_list.py" line="91"/>
        <source>Ack</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../widgets/event_list.py" line="92"/>
        <source>Dispatch</source>
        <translation>调度</translation>
    </message>
    <message>
        <location filename="../../widgets/event_list.py" line="97"/>
        <source>Ack&apos;d</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../widgets/event_list.py" line="98"/>
        <source>NEW</source>
        <translation>未确认</translation>
    </message>
    <message>
        <location filename="../../widgets/event_list.py" line="374"/>
        <source>No active events</source>
        <translation>暂无未结事件</translation>
    </message>
</context>
<context>
    <name>EventWallList</name>
    <message>
        <location filename="../../widgets/event_wall_list.py" line="213"/>
        <source>No active events</source>
        <translation>暂无未结事件</translation>
    </message>
    <message>
        <location filename="../../widgets/event_wall_list.py" line="262"/>
        <source>+{n} more on the console</source>
        <translation>另有 {n} 条见操作台</translation>
    </message>
    <message>
        <location filename="../../widgets/event_wall_list.py" line="264"/>
        <source>+{n} more</source>
        <translation>另有 {n} 起</translation>
    </message>
</context>
<context>
    <name>Events</name>
    <message>
        <location filename="../../cockpit/present/panels/events.py" line="45"/>
        <source>Live events</source>
        <translation>实时事件</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/events.py" line="89"/>
        <source>Cleared, unacknowledged</source>
        <translation>已恢复，未确认</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/events.py" line="74"/>
        <source>{title} ({n} open)</source>
        <translation>{title}（{n} 起未结）</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/events.py" line="76"/>
        <source>{title} {as_of}: not live ({n} open)</source>
        <translation>{title} {as_of}：非实时（{n} 件未结）</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/events.py" line="79"/>
        <source>{title}: no data yet</source>
        <translation>{title}：尚无数据</translation>
    </message>
</context>
<context>
    <name>Facts</name>
    <message>
        <location filename="../../cockpit/present/panels/facts.py" line="39"/>
        <source>{time} (in {left})</source>
        <translation>{time}（还有 {left}）</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/facts.py" line="45"/>
        <source>km {n}</source>
        <translation>{n} 公里</translation>
    </message>
</context>
<context>
    <name>History</name>
    <message>
        <location filename="../../cockpit/present/panels/history.py" line="134"/>
        <source>{length} under {limit}</source>
        <translation>低于 {limit} 已 {length}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/history.py" line="134"/>
        <source>{length} over {limit}</source>
        <translation>超过 {limit} 已 {length}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/history.py" line="141"/>
        <source>warning {v}</source>
        <translation>预警 {v}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/history.py" line="142"/>
        <source>alarm {v}</source>
        <translation>报警 {v}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/history.py" line="143"/>
        <source>low warning {v}</source>
        <translation>下限预警 {v}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/history.py" line="144"/>
        <source>low alarm {v}</source>
        <translation>下限报警 {v}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/history.py" line="148"/>
        <source>No history from the backend</source>
        <translation>后端未提供历史数据</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/history.py" line="167"/>
        <source>{d} d {h} h</source>
        <translation>{d} 天 {h} 小时</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/history.py" line="169"/>
        <source>{d} d</source>
        <translation>{d} 天</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/history.py" line="170"/>
        <source>{h} h</source>
        <translation>{h} 小时</translation>
    </message>
</context>
<context>
    <name>HistoryChart</name>
    <message>
        <location filename="../../widgets/history_chart.py" line="80"/>
        <source>No history</source>
        <translation>无历史数据</translation>
    </message>
    <message>
        <location filename="../../widgets/history_chart.py" line="84"/>
        <source>now {value}</source>
        <translation>当前 {value}</translation>
    </message>
    <message>
        <location filename="../../widgets/history_chart.py" line="106"/>
        <source>Too small</source>
        <translation>面板过小</translation>
    </message>
</context>
<context>
    <name>Login</name>
    <message>
        <location filename="../../cockpit/app/login.py" line="60"/>
        <source>Log in</source>
        <translation>登录</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/login.py" line="63"/>
        <source>paste your operator token</source>
        <translation>请粘贴您的操作员令牌</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/login.py" line="64"/>
        <location filename="../../cockpit/app/login.py" line="85"/>
        <source>The token says who you are and what you may do.</source>
        <translation>令牌标明您的身份和可执行的操作。</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/login.py" line="70"/>
        <source>Token</source>
        <translation>令牌</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/login.py" line="91"/>
        <source>Not an operator token: {reason}</source>
        <translation>不是有效的操作员令牌：{reason}</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/login.py" line="94"/>
        <source>the whole city</source>
        <translation>全市</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/login.py" line="96"/>
        <source>{operator}, {role}, for {districts}</source>
        <translation>{operator}，{role}，负责{districts}</translation>
    </message>
</context>
<context>
    <name>Loop</name>
    <message>
        <location filename="../../cockpit/present/panels/loop.py" line="30"/>
        <source>Found</source>
        <translation>发现</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/loop.py" line="31"/>
        <source>Routed</source>
        <translation>派单</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/loop.py" line="32"/>
        <source>Handled</source>
        <translation>处置</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/loop.py" line="33"/>
        <source>Reported back</source>
        <translation>反馈</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/loop.py" line="34"/>
        <source>Evaluated</source>
        <translation>评价</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/loop.py" line="38"/>
        <source>This shift</source>
        <translation>本班</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/loop.py" line="39"/>
        <source>Today</source>
        <translation>今日</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/loop.py" line="120"/>
        <source>{n} min</source>
        <translation>{n}分钟</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/loop.py" line="130"/>
        <source>{n} late today</source>
        <translation>今日超时 {n} 件</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/loop.py" line="131"/>
        <source>No closed-loop figures from the backend</source>
        <translation>后端未提供闭环数据</translation>
    </message>
</context>
<context>
    <name>LoopTimeline</name>
    <message>
        <location filename="../../widgets/loop_timeline.py" line="142"/>
        <source>No step reached yet</source>
        <translation>尚未开始办理</translation>
    </message>
</context>
<context>
    <name>Map</name>
    <message>
        <location filename="../../cockpit/present/panels/map.py" line="219"/>
        <source>{layer} as of {when}, kept on disk</source>
        <translation>{layer}：{when} 的数据（本地保存）</translation>
    </message>
</context>
<context>
    <name>MapView</name>
    <message>
        <location filename="../../widgets/map_view.py" line="129"/>
        <source>Green</source>
        <translation>绿</translation>
    </message>
    <message>
        <location filename="../../widgets/map_view.py" line="131"/>
        <source>Blue</source>
        <translation>蓝</translation>
    </message>
    <message>
        <location filename="../../widgets/map_view.py" line="133"/>
        <source>Yellow</source>
        <translation>黄</translation>
    </message>
    <message>
        <location filename="../../widgets/map_view.py" line="135"/>
        <source>Orange</source>
        <translation>橙</translation>
    </message>
    <message>
        <location filename="../../widgets/map_view.py" line="137"/>
        <source>Red</source>
        <translation>红</translation>
    </message>
    <message>
        <location filename="../../widgets/map_view.py" line="140"/>
        <source>{level} · {colour}</source>
        <translation>{level}级 · {colour}</translation>
    </message>
</context>
<context>
    <name>Names</name>
    <message>
        <location filename="../../cockpit/present/names.py" line="23"/>
        <source>street centre</source>
        <translation>街道中心</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/names.py" line="24"/>
        <source>district centre</source>
        <translation>区级中心</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/names.py" line="25"/>
        <source>city centre</source>
        <translation>市级中心</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/names.py" line="29"/>
        <source>viewer</source>
        <translation>观察员</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/names.py" line="30"/>
        <source>duty officer</source>
        <translation>值班员</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/names.py" line="31"/>
        <source>supervisor</source>
        <translation>值班长</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/names.py" line="32"/>
        <source>trainer</source>
        <translation>导调员</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/names.py" line="38"/>
        <source>district</source>
        <translation>区</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/names.py" line="39"/>
        <source>event type</source>
        <translation>事件类型</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/names.py" line="40"/>
        <source>sensor kind</source>
        <translation>传感器类型</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/names.py" line="41"/>
        <source>unit kind</source>
        <translation>队伍类型</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/names.py" line="42"/>
        <source>overlay kind</source>
        <translation>叠加类型</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/names.py" line="43"/>
        <source>theme</source>
        <translation>主题</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/names.py" line="44"/>
        <source>level</source>
        <translation>层级</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/names.py" line="45"/>
        <source>group</source>
        <translation>分组</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/names.py" line="46"/>
        <source>layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/names.py" line="47"/>
        <source>attribute</source>
        <translation>属性</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/names.py" line="221"/>
        <source>Shown as codes (no name from the backend): {codes}</source>
        <translation>以代码显示（后端未提供名称）：{codes}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/names.py" line="189"/>
        <source>msgs {m} · malformed {bad} · gaps {gaps} · reconnects {rc}</source>
        <translation>消息 {m} · 错误 {bad} · 缺失 {gaps} · 重连 {rc}</translation>
    </message>
</context>
<context>
    <name>Panels</name>
    <message>
        <location filename="../../cockpit/app/panels/map.py" line="149"/>
        <source>no base map</source>
        <translation>无底图</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels/__init__.py" line="80"/>
        <source>not live</source>
        <translation>非实时</translation>
    </message>
</context>
<context>
    <name>PlanView</name>
    <message>
        <location filename="../../widgets/plan_view.py" line="58"/>
        <source>Plan and SLA</source>
        <translation>预案与时限</translation>
    </message>
    <message>
        <location filename="../../widgets/plan_view.py" line="70"/>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../../widgets/plan_view.py" line="71"/>
        <source>Owner</source>
        <translation>责任单位</translation>
    </message>
    <message>
        <location filename="../../widgets/plan_view.py" line="72"/>
        <source>State</source>
        <translation>状态</translation>
    </message>
    <message>
        <location filename="../../widgets/plan_view.py" line="73"/>
        <source>Due</source>
        <translation>时限</translation>
    </message>
    <message>
        <location filename="../../widgets/plan_view.py" line="118"/>
        <source>No SLA timer running</source>
        <translation>无进行中的时限计时</translation>
    </message>
    <message>
        <location filename="../../widgets/plan_view.py" line="139"/>
        <source>No plan running for this event</source>
        <translation>该事件暂无运行中的预案</translation>
    </message>
    <message>
        <location filename="../../widgets/plan_view.py" line="151"/>
        <source>{task} (optional)</source>
        <translation>{task}（可选）</translation>
    </message>
</context>
<context>
    <name>Plans</name>
    <message>
        <location filename="../../cockpit/present/panels/plans.py" line="108"/>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plans.py" line="109"/>
        <source>Dispatch</source>
        <translation>调度</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plans.py" line="110"/>
        <source>On scene</source>
        <translation>已到场</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plans.py" line="116"/>
        <source>pending</source>
        <translation>待办</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plans.py" line="117"/>
        <source>dispatched</source>
        <translation>已派发</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plans.py" line="118"/>
        <source>in progress</source>
        <translation>处理中</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plans.py" line="119"/>
        <source>done</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plans.py" line="120"/>
        <source>failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plans.py" line="121"/>
        <source>cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plans.py" line="130"/>
        <source>awaiting a second approval</source>
        <translation>待另一人批准</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plans.py" line="131"/>
        <source>active</source>
        <translation>告警中</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plans.py" line="132"/>
        <source>closed</source>
        <translation>已关闭</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plans.py" line="139"/>
        <source>{phase}: {over} late (target {target})</source>
        <translation>{phase}：超时 {over}（时限 {target}）</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plans.py" line="141"/>
        <source>{phase}: done, {over} late</source>
        <translation>{phase}：已完成，超时 {over}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plans.py" line="143"/>
        <source>{phase}: done in time</source>
        <translation>{phase}：按时完成</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plans.py" line="145"/>
        <source>{phase}: stopped while the alarm is shelved ({left} left of {target})</source>
        <translation>{phase}：告警搁置期间暂停计时（剩余 {left}，时限 {target}）</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plans.py" line="149"/>
        <source>{phase}: {left} left of {target}</source>
        <translation>{phase}：剩余 {left}（时限 {target}）</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plans.py" line="158"/>
        <source>{plan} · {state} · activated by {who} at {time}</source>
        <translation>{plan} · {state} · {who} 于 {time} 启动</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plans.py" line="165"/>
        <source>approved by {who}</source>
        <translation>由 {who} 批准</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plans.py" line="168"/>
        <source>{done} of {n} tasks done, {open} mandatory open</source>
        <translation>任务完成 {done}/{n}，必办未完成 {open}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plans.py" line="186"/>
        <source>done at {time}</source>
        <translation>{time} 完成</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plans.py" line="188"/>
        <source>starts on approval</source>
        <translation>批准后开始</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plans.py" line="190"/>
        <source>{over} late</source>
        <translation>超时 {over}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plans.py" line="192"/>
        <source>in {left}</source>
        <translation>剩余 {left}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plans.py" line="210"/>
        <source>you activated it: a second person must approve</source>
        <translation>由您启动：须由另一人批准</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plans.py" line="211"/>
        <source>Approve plan</source>
        <translation>批准预案</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plans.py" line="215"/>
        <source>{n} mandatory tasks still open</source>
        <translation>仍有 {n} 项必办任务未完成</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plans.py" line="216"/>
        <source>Close plan</source>
        <translation>关闭预案</translation>
    </message>
</context>
<context>
    <name>PlotControls</name>
    <message>
        <location filename="../../widgets/plot_controls.py" line="85"/>
        <source>Select / move</source>
        <translation>选择 / 移动</translation>
    </message>
    <message>
        <location filename="../../widgets/plot_controls.py" line="92"/>
        <source>Label of the next drawing</source>
        <translation>下一处标绘的标注文字</translation>
    </message>
    <message>
        <location filename="../../widgets/plot_controls.py" line="96"/>
        <source>Put on selected</source>
        <translation>用于所选标绘</translation>
    </message>
    <message>
        <location filename="../../widgets/plot_controls.py" line="102"/>
        <source>Finish (Enter)</source>
        <translation>完成（回车）</translation>
    </message>
    <message>
        <location filename="../../widgets/plot_controls.py" line="103"/>
        <source>Cancel (Esc)</source>
        <translation>取消（Esc）</translation>
    </message>
    <message>
        <location filename="../../widgets/plot_controls.py" line="104"/>
        <source>Delete (Del)</source>
        <translation>删除（Del）</translation>
    </message>
    <message>
        <location filename="../../widgets/plot_controls.py" line="105"/>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <location filename="../../widgets/plot_controls.py" line="106"/>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <location filename="../../widgets/plot_controls.py" line="107"/>
        <source>Trace fire line from the spread</source>
        <translation>按蔓延预测描绘火线</translation>
    </message>
    <message>
        <location filename="../../widgets/plot_controls.py" line="108"/>
        <source>Export GeoJSON</source>
        <translation>导出 GeoJSON</translation>
    </message>
    <message>
        <location filename="../../widgets/plot_controls.py" line="110"/>
        <source>Export KML</source>
        <translation>导出 KML</translation>
    </message>
    <message>
        <location filename="../../widgets/plot_controls.py" line="124"/>
        <source>Drafts: your changes that did not go in</source>
        <translation>草稿：未生效的修改</translation>
    </message>
    <message>
        <location filename="../../widgets/plot_controls.py" line="130"/>
        <source>Re-apply</source>
        <translation>重新提交</translation>
    </message>
    <message>
        <location filename="../../widgets/plot_controls.py" line="132"/>
        <source>Discard</source>
        <translation>放弃</translation>
    </message>
</context>
<context>
    <name>PlotMarks</name>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="54"/>
        <source>A</source>
        <translation>集</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="55"/>
        <source>C</source>
        <translation>指</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="56"/>
        <source>W</source>
        <translation>水</translation>
    </message>
</context>
<context>
    <name>Plots</name>
    <message>
        <location filename="../../cockpit/present/panels/plotting.py" line="178"/>
        <source>draft: not applied</source>
        <translation>草稿：未生效</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plotting.py" line="254"/>
        <source>Fire line (traced from the projected spread)</source>
        <translation>火线（按蔓延预测描绘）</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plotting.py" line="257"/>
        <source>No projected fire spread to trace near this event</source>
        <translation>此事件附近没有可描绘的火势蔓延预测</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plotting.py" line="269"/>
        <source>Not re-applied: {why}</source>
        <translation>未重新提交：{why}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/editor.py" line="431"/>
        <source>Not sent</source>
        <translation>未发送</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/editor.py" line="506"/>
        <source>v{version} · {who}</source>
        <translation>第{version}版 · {who}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plotting.py" line="144"/>
        <source>This backend does not share drawings (it offers no plots stream)</source>
        <translation>此后端不共享标绘（未提供标绘数据流）</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plotting.py" line="148"/>
        <source>its event is not on this wall now</source>
        <translation>所属事件当前不在大屏上</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plotting.py" line="149"/>
        <source>Choose the event to draw for: click it in a list or on a map</source>
        <translation>请先选择要标绘的事件：在列表或地图上点击它</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plotting.py" line="151"/>
        <source>The event is closed: its drawings are kept as they are</source>
        <translation>事件已关闭：其标绘保持原样</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plotting.py" line="325"/>
        <source>Drawing: no event chosen</source>
        <translation>标绘：未选择事件</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plotting.py" line="326"/>
        <source>Drawing for {event} ({id})</source>
        <translation>标绘事件：{event}（{id}）</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plotting.py" line="343"/>
        <source>waiting for the link…</source>
        <translation>等待连接恢复…</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plotting.py" line="345"/>
        <source>no answer yet: still sending</source>
        <translation>尚无应答：仍在发送</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plotting.py" line="347"/>
        <source>no answer: outcome unknown</source>
        <translation>无应答：结果未知</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/plotting.py" line="348"/>
        <source>sending…</source>
        <translation>发送中…</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/drafts.py" line="73"/>
        <source>not sent: the backend restarted</source>
        <translation>未发送：后端已重启</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/drafts.py" line="76"/>
        <source>not applied: {who} changed it first (now version {version})</source>
        <translation>未生效：{who} 已先行修改（现为第{version}版）</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/drafts.py" line="81"/>
        <source>not applied: {reason}</source>
        <translation>未生效：{reason}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="37"/>
        <source>Fire line</source>
        <translation>火线</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="38"/>
        <source>Fire zone</source>
        <translation>火场</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="39"/>
        <source>Isolation belt</source>
        <translation>隔离带</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="40"/>
        <source>Evacuation route</source>
        <translation>疏散路线</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="41"/>
        <source>Assembly point</source>
        <translation>集结点</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="42"/>
        <source>Command post</source>
        <translation>前线指挥部</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="43"/>
        <source>Water source</source>
        <translation>水源</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="44"/>
        <source>Road block</source>
        <translation>路障</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="45"/>
        <source>Advance arrow</source>
        <translation>进攻方向</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="46"/>
        <source>Free text</source>
        <translation>文字标注</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="65"/>
        <source>The outline crosses itself near {where}: move a corner so it does not</source>
        <translation>轮廓在 {where} 附近自相交：请移动一个角点</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="66"/>
        <source>{n} points is too many: a drawing has at most {max}</source>
        <translation>{n} 个点过多：一处标绘最多 {max} 个点</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="67"/>
        <source>Not enough points: a line needs 2, an area 3 corners</source>
        <translation>点数不足：线至少 2 个点，区域至少 3 个角点</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="68"/>
        <source>Point {n} is off the map (longitude −180…180, latitude −90…90)</source>
        <translation>第 {n} 个点超出地图范围（经度 −180…180，纬度 −90…90）</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="69"/>
        <source>A point is not a position on the map</source>
        <translation>有一个点不是地图上的位置</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="70"/>
        <source>The outline is not closed</source>
        <translation>轮廓未闭合</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="71"/>
        <source>This symbol is drawn as another shape</source>
        <translation>此符号需用另一种图形绘制</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="72"/>
        <source>The palette has no such symbol</source>
        <translation>符号库中没有此符号</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="73"/>
        <source>Choose the event this drawing belongs to</source>
        <translation>请选择此标绘所属的事件</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="74"/>
        <source>Nothing to send</source>
        <translation>没有可发送的内容</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="75"/>
        <source>The label is too long ({n} characters; at most {max})</source>
        <translation>标注文字过长（{n} 个字符；最多 {max} 个）</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="76"/>
        <source>Free text needs its words: type them in the label field first</source>
        <translation>文字标注需要内容：请先在标注栏输入文字</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="77"/>
        <source>The colour is not valid</source>
        <translation>颜色无效</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="78"/>
        <source>The size is out of range</source>
        <translation>大小超出范围</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="89"/>
        <source>New {what}</source>
        <translation>新增{what}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="90"/>
        <source>Change of {what}</source>
        <translation>修改{what}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/plots/words.py" line="91"/>
        <source>Deletion of {what}</source>
        <translation>删除{what}</translation>
    </message>
</context>
<context>
    <name>Profile</name>
    <message>
        <location filename="../../cockpit/present/panels/profile.py" line="125"/>
        <source>its target</source>
        <translation>目标</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/profile.py" line="128"/>
        <source>{what} reaches {target} at {time}, in</source>
        <translation>{what}预计 {time} 到达{target}，还有</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/profile.py" line="132"/>
        <source>due since {time}</source>
        <translation>已于 {time} 到达</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/profile.py" line="133"/>
        <source>{what} at {target}</source>
        <translation>{what}已到{target}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/profile.py" line="142"/>
        <source>warning {v}</source>
        <translation>预警 {v}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/profile.py" line="143"/>
        <source>alarm {v}</source>
        <translation>报警 {v}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/profile.py" line="144"/>
        <source>low warning {v}</source>
        <translation>下限预警 {v}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/profile.py" line="145"/>
        <source>low alarm {v}</source>
        <translation>下限报警 {v}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/profile.py" line="152"/>
        <source>No station with a place on the river (river_km)</source>
        <translation>无带河道里程（river_km）的监测断面</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/profile.py" line="154"/>
        <source>No data yet</source>
        <translation>尚无数据</translation>
    </message>
</context>
<context>
    <name>Ranking</name>
    <message>
        <location filename="../../cockpit/present/panels/ranking.py" line="26"/>
        <source>Green</source>
        <translation>绿</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/ranking.py" line="27"/>
        <source>Blue</source>
        <translation>蓝</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/ranking.py" line="28"/>
        <source>Yellow</source>
        <translation>黄</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/ranking.py" line="29"/>
        <source>Orange</source>
        <translation>橙</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/ranking.py" line="30"/>
        <source>Red</source>
        <translation>红</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/ranking.py" line="79"/>
        <source>{n} · {colour}</source>
        <translation>{n} · {colour}色</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/ranking.py" line="83"/>
        <source>no data</source>
        <translation>无数据</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/ranking.py" line="84"/>
        <source>No ratings from the backend</source>
        <translation>后端未提供评级</translation>
    </message>
</context>
<context>
    <name>RankingList</name>
    <message>
        <location filename="../../widgets/ranking_list.py" line="65"/>
        <source>No ratings</source>
        <translation>无评级</translation>
    </message>
    <message>
        <location filename="../../widgets/ranking_list.py" line="97"/>
        <source>+{n} more</source>
        <translation>另有 {n} 项</translation>
    </message>
</context>
<context>
    <name>RefusedView</name>
    <message>
        <location filename="../../cockpit/app/refused_view.py" line="39"/>
        <source>Runway “{id}” is not shown</source>
        <translation>跑道“{id}”未显示</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/refused_view.py" line="44"/>
        <source>line {n}</source>
        <translation>第 {n} 行</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/refused_view.py" line="49"/>
        <source>Correct the runway file; the console lists every problem.</source>
        <translation>请修改跑道文件；操作台列出全部问题。</translation>
    </message>
</context>
<context>
    <name>Replay</name>
    <message>
        <location filename="../../cockpit/app/replay_ui.py" line="37"/>
        <source>⚠ RECORDING STOPPED: {error}</source>
        <translation>⚠ 录制已停止：{error}</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/replay_ui.py" line="39"/>
        <source>● REC starting</source>
        <translation>● 录制启动中</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/replay_ui.py" line="41"/>
        <source>● REC {mb} MB</source>
        <translation>● 录制 {mb} MB</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/replay_ui.py" line="50"/>
        <source>REPLAY PAUSED {at}</source>
        <translation>回放 已暂停 {at}</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/replay_ui.py" line="52"/>
        <source>REPLAY ENDED {at}</source>
        <translation>回放 已结束 {at}</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/replay_ui.py" line="54"/>
        <source>REPLAY ×{speed:g} {at}</source>
        <translation>回放 ×{speed:g} {at}</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/replay_ui.py" line="55"/>
        <source>REPLAY {at}</source>
        <translation>回放 {at}</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/replay_ui.py" line="62"/>
        <source>playing ×{speed:g}</source>
        <translation>播放 ×{speed:g}</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/replay_ui.py" line="63"/>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/replay_ui.py" line="64"/>
        <source>end of recording</source>
        <translation>录像结束</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/replay_ui.py" line="66"/>
        <source>REPLAY · {at} · {state} · not live</source>
        <translation>回放 · {at} · {state} · 非实时</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/replay_ui.py" line="81"/>
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/replay_ui.py" line="82"/>
        <source>Pause and play exactly the next recorded frame</source>
        <translation>暂停并只播放下一录制帧</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/replay_ui.py" line="84"/>
        <source>Speed</source>
        <translation>倍速</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/replay_ui.py" line="90"/>
        <source>Clear loop</source>
        <translation>取消循环</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/replay_ui.py" line="91"/>
        <source>Drag across the timeline to loop a stretch</source>
        <translation>在时间轴上拖选一段以循环播放</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/replay_ui.py" line="113"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/replay_ui.py" line="113"/>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/replay_ui.py" line="117"/>
        <source> (cannot keep up at this speed)</source>
        <translation>（此倍速下跟不上）</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/replay_ui.py" line="164"/>
        <source>Replay</source>
        <translation>回放</translation>
    </message>
</context>
<context>
    <name>RiverProfile</name>
    <message>
        <location filename="../../widgets/river_profile.py" line="129"/>
        <source>No stations</source>
        <translation>无监测断面</translation>
    </message>
    <message>
        <location filename="../../widgets/river_profile.py" line="155"/>
        <source>Too small for the profile</source>
        <translation>面板过小，无法显示剖面</translation>
    </message>
</context>
<context>
    <name>Runway</name>
    <message>
        <location filename="../../cockpit/present/runway.py" line="70"/>
        <source>{title} · details</source>
        <translation>{title} · 详情</translation>
    </message>
</context>
<context>
    <name>RunwayPlan</name>
    <message>
        <location filename="../../cockpit/present/panels/runway_plan.py" line="74"/>
        <source>{h} h {m} min</source>
        <translation>{h} 小时 {m} 分钟</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/runway_plan.py" line="76"/>
        <source>{h} h</source>
        <translation>{h} 小时</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/runway_plan.py" line="77"/>
        <source>{m} min</source>
        <translation>{m} 分钟</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/runway_plan.py" line="84"/>
        <source>No open event</source>
        <translation>无在办事件</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/runway_plan.py" line="89"/>
        <source>{state} · {done} of {n} tasks done</source>
        <translation>{state} · 已完成 {done}/{n} 项</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/runway_plan.py" line="97"/>
        <source>No plan for this event ({event})</source>
        <translation>该事件无预案（{event}）</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/runway_plan.py" line="103"/>
        <source>within {d}</source>
        <translation>{d}内</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/runway_plan.py" line="109"/>
        <source>recommended · not activated</source>
        <translation>推荐预案 · 未启动</translation>
    </message>
</context>
<context>
    <name>RunwayView</name>
    <message>
        <location filename="../../cockpit/app/runway_view.py" line="56"/>
        <source>No room for the panels at this type size</source>
        <translation>此字号下无空间显示面板</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/runway_view.py" line="244"/>
        <source>not live</source>
        <translation>非实时</translation>
    </message>
</context>
<context>
    <name>Service</name>
    <message>
        <location filename="../../cockpit/app/service.py" line="125"/>
        <source>no metrics: {error}</source>
        <translation>无监控指标：{error}</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/service.py" line="334"/>
        <source>the outbox is full: {n} commands wait for the backend; new commands can be sent once it answers</source>
        <translation>发件箱已满：{n} 条指令等待后端应答；后端应答后才能发送新指令</translation>
    </message>
</context>
<context>
    <name>Severity</name>
    <message>
        <location filename="../../widgets/severity.py" line="60"/>
        <source>Red</source>
        <translation>红色</translation>
    </message>
    <message>
        <location filename="../../widgets/severity.py" line="62"/>
        <source>Orange</source>
        <translation>橙色</translation>
    </message>
    <message>
        <location filename="../../widgets/severity.py" line="64"/>
        <source>Yellow</source>
        <translation>黄色</translation>
    </message>
    <message>
        <location filename="../../widgets/severity.py" line="65"/>
        <source>Blue</source>
        <translation>蓝色</translation>
    </message>
</context>
<context>
    <name>ShelveForm</name>
    <message>
        <location filename="../../widgets/shelve_form.py" line="44"/>
        <source>Reason (required)</source>
        <translation>原因（必填）</translation>
    </message>
    <message>
        <location filename="../../widgets/shelve_form.py" line="47"/>
        <source>Shelve</source>
        <translation>搁置</translation>
    </message>
    <message>
        <location filename="../../widgets/shelve_form.py" line="49"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../../widgets/shelve_form.py" line="69"/>
        <source>until it clears</source>
        <translation>至告警恢复</translation>
    </message>
</context>
<context>
    <name>TaskChecklist</name>
    <message>
        <location filename="../../widgets/task_checklist.py" line="86"/>
        <source>{owner} · optional</source>
        <translation>{owner} · 可选</translation>
    </message>
    <message>
        <location filename="../../widgets/task_checklist.py" line="101"/>
        <source>+{n} more tasks</source>
        <translation>另有 {n} 项任务</translation>
    </message>
</context>
<context>
    <name>Tiles</name>
    <message>
        <location filename="../../cockpit/present/panels/tiles.py" line="120"/>
        <source>No sensor</source>
        <translation>无传感器</translation>
    </message>
</context>
<context>
    <name>Timeline</name>
    <message>
        <location filename="../../cockpit/present/panels/timeline.py" line="79"/>
        <source>No event yet</source>
        <translation>暂无事件</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/timeline.py" line="124"/>
        <source>{n} photos</source>
        <translation>照片 {n} 张</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/timeline.py" line="126"/>
        <source>citizen told {time}</source>
        <translation>{time} 已告知市民</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/timeline.py" line="144"/>
        <source>Deadline {time} · handled {late} late</source>
        <translation>时限 {time} · 超时 {late} 办结</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/timeline.py" line="146"/>
        <source>Deadline {time} · handled in time</source>
        <translation>时限 {time} · 按时办结</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/timeline.py" line="149"/>
        <source>Deadline {time} · {late} late</source>
        <translation>时限 {time} · 已超时 {late}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/timeline.py" line="153"/>
        <source>Deadline {time} · {left} left</source>
        <translation>时限 {time} · 剩余 {left}</translation>
    </message>
</context>
<context>
    <name>TimelineWidget</name>
    <message>
        <location filename="../../widgets/timeline.py" line="46"/>
        <source>Click to jump there; drag to select a stretch to loop</source>
        <translation>单击跳转到该处；拖选一段以循环播放</translation>
    </message>
</context>
<context>
    <name>Trainer</name>
    <message>
        <location filename="../../cockpit/app/drill_mode.py" line="180"/>
        <location filename="../../cockpit/app/drill_mode.py" line="290"/>
        <source>DRILL PAUSED</source>
        <translation>演练暂停</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/drill_mode.py" line="180"/>
        <location filename="../../cockpit/app/drill_mode.py" line="290"/>
        <source>DRILL · sandbox</source>
        <translation>演练 · 沙盘</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/drill_mode.py" line="274"/>
        <source>The report could not be written to {folder}: {error}</source>
        <translation>报告无法写入 {folder}：{error}</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="53"/>
        <source>New event</source>
        <translation>新事件</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="54"/>
        <source>Sensor fails (goes stale)</source>
        <translation>传感器失效（数据过期）</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="55"/>
        <source>Sensor reads a fault (zero)</source>
        <translation>传感器读数故障（归零）</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="56"/>
        <source>Weather change</source>
        <translation>天气变化</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="57"/>
        <source>Unit does not respond</source>
        <translation>力量无响应</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="63"/>
        <source>Heavy rain (storm 1.2)</source>
        <translation>暴雨（强度 1.2）</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="64"/>
        <source>Rain stops (storm 0)</source>
        <translation>雨停（强度 0）</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="65"/>
        <source>Gale (wind 18 m/s)</source>
        <translation>大风（风速 18 m/s）</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="66"/>
        <source>Heat (40 °C)</source>
        <translation>高温（40 °C）</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="105"/>
        <source>Cockpit · trainer console (DRILL)</source>
        <translation>驾驶舱 · 导调控制台（演练）</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="113"/>
        <source>DRILL</source>
        <translation>演练</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="120"/>
        <source>Drill</source>
        <translation>演练</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="125"/>
        <source>Drill script</source>
        <translation>演练脚本</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="127"/>
        <source>Start from the beginning</source>
        <translation>从头开始</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="129"/>
        <location filename="../../cockpit/app/trainer.py" line="201"/>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="136"/>
        <source>Inject by hand</source>
        <translation>手动注入</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="149"/>
        <source>level </source>
        <translation>等级 </translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="151"/>
        <source>Inject now</source>
        <translation>立即注入</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="155"/>
        <source>Trainees&apos; actions</source>
        <translation>学员操作</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="160"/>
        <source>Time</source>
        <translation>时间</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="160"/>
        <source>Operator</source>
        <translation>操作人</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="160"/>
        <source>Command</source>
        <translation>指令</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="160"/>
        <source>Event</source>
        <translation>事件</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="160"/>
        <source>Unit</source>
        <translation>力量</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="160"/>
        <source>Result</source>
        <translation>结果</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="166"/>
        <source>Injects</source>
        <translation>注入记录</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="187"/>
        <source>DRILL · {title}</source>
        <translation>演练 · {title}</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="201"/>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="206"/>
        <source>finished</source>
        <translation>已结束</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="208"/>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="210"/>
        <source>running</source>
        <translation>进行中</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="212"/>
        <source>Drill clock {t} of {end} · {state}</source>
        <translation>演练时钟 {t} / {end} · {state}</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="223"/>
        <source>{events} events measured · {met} of {total} targets met so far · {actions} actions</source>
        <translation>已评估 {events} 起事件 · 目前达标 {met}/{total} · 操作 {actions} 次</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="233"/>
        <source>Report: {events} events, {met} of {total} targets met, {actions} actions. Written to {where}</source>
        <translation>报告：{events} 起事件，达标 {met}/{total}，操作 {actions} 次。已写入 {where}</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="254"/>
        <source>by hand</source>
        <translation>手动</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="254"/>
        <source>script</source>
        <translation>脚本</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="259"/>
        <source>FAILED: {error}</source>
        <translation>失败：{error}</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="298"/>
        <source>Pick a target for the inject first.</source>
        <translation>请先选择注入对象。</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/trainer.py" line="320"/>
        <source>Report from the trainer ({theme}, {district})</source>
        <translation>导调员上报（{theme}，{district}）</translation>
    </message>
</context>
<context>
    <name>Trend</name>
    <message>
        <location filename="../../cockpit/present/panels/trend.py" line="73"/>
        <source>paused {time}</source>
        <translation>已暂停 {time}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/trend.py" line="73"/>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/trend.py" line="129"/>
        <source>warning {v}</source>
        <translation>预警 {v}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/trend.py" line="130"/>
        <source>alarm {v}</source>
        <translation>告警 {v}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/trend.py" line="131"/>
        <source>low warning {v}</source>
        <translation>低值预警 {v}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/panels/trend.py" line="132"/>
        <source>low alarm {v}</source>
        <translation>低值告警 {v}</translation>
    </message>
</context>
<context>
    <name>TrendChart</name>
    <message>
        <location filename="../../widgets/trend_chart.py" line="165"/>
        <source>+{n} more</source>
        <translation>另有 {n} 条</translation>
    </message>
    <message>
        <location filename="../../widgets/trend_chart.py" line="279"/>
        <source>−{n} min</source>
        <translation>−{n} 分钟</translation>
    </message>
    <message>
        <location filename="../../widgets/trend_chart.py" line="120"/>
        <source>now</source>
        <translation>现在</translation>
    </message>
</context>
<context>
    <name>VideoPanel</name>
    <message>
        <location filename="../../cockpit/app/panels/video.py" line="69"/>
        <source>Next page</source>
        <translation>下一页</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels/video.py" line="72"/>
        <source>Unpin (follow alarms and defaults)</source>
        <translation>取消固定（随告警与默认）</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels/video.py" line="74"/>
        <source>Pin camera to this tile</source>
        <translation>将摄像机固定到此画面</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels/video.py" line="90"/>
        <source>{n} by alarm</source>
        <translation>{n} 路因告警</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels/video.py" line="92"/>
        <source>{n} pinned</source>
        <translation>{n} 路已固定</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/panels/video.py" line="94"/>
        <source>page {n} of {total}</source>
        <translation>第 {n}/{total} 页</translation>
    </message>
</context>
<context>
    <name>VideoTiles</name>
    <message>
        <location filename="../../cockpit/app/video_binder.py" line="28"/>
        <source>bad URL</source>
        <translation>地址错误</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/video_binder.py" line="29"/>
        <source>connection refused</source>
        <translation>连接被拒绝</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/video_binder.py" line="30"/>
        <source>not authorised (user or password rejected)</source>
        <translation>未授权（用户名或密码被拒绝）</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/video_binder.py" line="31"/>
        <source>timed out</source>
        <translation>超时</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/video_binder.py" line="32"/>
        <source>stream not found on the camera</source>
        <translation>摄像机上没有此视频流</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/video_binder.py" line="33"/>
        <source>unsupported codec</source>
        <translation>不支持的编码</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/video_binder.py" line="34"/>
        <source>credential missing from the site&apos;s camera secrets</source>
        <translation>站点摄像机密钥中缺少此凭据</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/video_binder.py" line="35"/>
        <source>stream ended</source>
        <translation>视频流已结束</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/video_binder.py" line="36"/>
        <source>network error</source>
        <translation>网络错误</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/video_binder.py" line="37"/>
        <source>error</source>
        <translation>错误</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/video_binder.py" line="52"/>
        <source>video not recorded</source>
        <translation>视频未录制</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/video_binder.py" line="53"/>
        <source>replay: which camera was here is recorded, its video is not</source>
        <translation>回放：只记录了此处是哪台摄像机，未录制其视频</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/video_binder.py" line="57"/>
        <source>no camera</source>
        <translation>无摄像机</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/video_binder.py" line="62"/>
        <source>connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/video_binder.py" line="66"/>
        <source>no new frame</source>
        <translation>没有新画面</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/video_binder.py" line="69"/>
        <source>NO SIGNAL</source>
        <translation>无信号</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/video_binder.py" line="70"/>
        <source>last picture {age} old · {why} · reconnecting</source>
        <translation>最后画面 {age} 前 · {why} · 正在重连</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/video_binder.py" line="76"/>
        <source>FROZEN</source>
        <translation>画面冻结</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/video_binder.py" line="77"/>
        <source>picture unchanged for {s}</source>
        <translation>画面已 {s} 未变化</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/video_binder.py" line="84"/>
        <source>CAMERA UNREACHABLE</source>
        <translation>摄像机无法连接</translation>
    </message>
</context>
<context>
    <name>VitalSignTile</name>
    <message>
        <location filename="../../widgets/vital_tile.py" line="24"/>
        <location filename="../../widgets/vital_tile.py" line="26"/>
        <source>{n} s</source>
        <translation>{n} 秒</translation>
    </message>
    <message>
        <location filename="../../widgets/vital_tile.py" line="28"/>
        <source>{n} min</source>
        <translation>{n} 分钟</translation>
    </message>
    <message>
        <location filename="../../widgets/vital_tile.py" line="29"/>
        <source>{n} h</source>
        <translation>{n} 小时</translation>
    </message>
    <message>
        <location filename="../../widgets/vital_tile.py" line="242"/>
        <source>LOW ALARM</source>
        <translation>低值告警</translation>
    </message>
    <message>
        <location filename="../../widgets/vital_tile.py" line="243"/>
        <source>HIGH ALARM</source>
        <translation>高值告警</translation>
    </message>
    <message>
        <location filename="../../widgets/vital_tile.py" line="246"/>
        <source>LOW WARNING</source>
        <translation>低值预警</translation>
    </message>
    <message>
        <location filename="../../widgets/vital_tile.py" line="247"/>
        <source>HIGH WARNING</source>
        <translation>高值预警</translation>
    </message>
    <message>
        <location filename="../../widgets/vital_tile.py" line="250"/>
        <source>PAUSED</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <location filename="../../widgets/vital_tile.py" line="251"/>
        <source>STALE {age}</source>
        <translation>数据过期 {age}</translation>
    </message>
    <message>
        <location filename="../../widgets/vital_tile.py" line="255"/>
        <source>NO DATA</source>
        <translation>无数据</translation>
    </message>
</context>
<context>
    <name>Wall</name>
    <message>
        <location filename="../../cockpit/present/wall.py" line="137"/>
        <source>as of {time}</source>
        <translation>截至 {time}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/wall.py" line="141"/>
        <source>no data yet</source>
        <translation>尚无数据</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/wall.py" line="298"/>
        <source>an event</source>
        <translation>一个事件</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/wall.py" line="299"/>
        <source>SLA ✕{n} · {event} +{over}</source>
        <translation>超时 ✕{n} · {event} +{over}</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wall.py" line="100"/>
        <source>Cockpit · wall</source>
        <translation>驾驶舱 · 大屏</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wall.py" line="286"/>
        <source>Wall type on a {diag:g}&quot; panel: key text {have:.0f} mm, secondary {detail:.0f} mm (capitals); from {dist:g} m key text needs {need:.0f} mm, secondary {half:.0f} mm</source>
        <translation>{diag:g} 英寸屏上的墙面字高：关键文字 {have:.0f} 毫米，次要文字 {detail:.0f} 毫米（大写字母）；在 {dist:g} 米处关键文字需 {need:.0f} 毫米，次要文字需 {half:.0f} 毫米</translation>
    </message>
    <message>
        <location filename="../../cockpit/app/wall.py" line="298"/>
        <source> (too small for that distance: raise font_scale in the wall layout)</source>
        <translation>（在该距离下偏小：请在大屏布局中调大 font_scale）</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/wall.py" line="199"/>
        <source>Replay ended</source>
        <translation>回放结束</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/wall.py" line="201"/>
        <source>Replay paused</source>
        <translation>回放暂停</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/wall.py" line="203"/>
        <source>Replay ×{speed:g}</source>
        <translation>回放 ×{speed:g}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/wall.py" line="204"/>
        <source>recorded {time}; not live</source>
        <translation>录制于 {time}；非实时</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/wall.py" line="206"/>
        <source>not live</source>
        <translation>非实时</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/wall.py" line="208"/>
        <source>the drill clock stands still; not live</source>
        <translation>演练时钟已停止；非实时</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/wall.py" line="209"/>
        <source>Drill paused</source>
        <translation>演练暂停</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/wall.py" line="213"/>
        <source>connecting to {url}</source>
        <translation>正在连接 {url}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/wall.py" line="214"/>
        <source>catching up with {url}</source>
        <translation>正在与 {url} 同步</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/wall.py" line="215"/>
        <source>{url} silent for {s} s</source>
        <translation>{url} 已 {s} 秒无数据</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/wall.py" line="216"/>
        <source>cannot reach {url}; retrying</source>
        <translation>无法连接 {url}，正在重试</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/wall.py" line="223"/>
        <source>not live since {time} ({duration})</source>
        <translation>自 {time} 起未实时（{duration}）</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/wall.py" line="229"/>
        <source>refused by {url}</source>
        <translation>被 {url} 拒绝</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/wall.py" line="233"/>
        <source>backend restarted without its state at {time}; events reloaded</source>
        <translation>后台于 {time} 重启且丢失状态，事件已重新载入</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/wall.py" line="243"/>
        <source>Drill running</source>
        <translation>演练进行中</translation>
    </message>
</context>
<context>
    <name>Words</name>
    <message>
        <location filename="../../cockpit/present/words.py" line="36"/>
        <source>Dispatch</source>
        <translation>调度</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="37"/>
        <source>Call off</source>
        <translation>召回</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="38"/>
        <source>Acknowledge</source>
        <translation>确认</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="39"/>
        <source>Close event</source>
        <translation>结案</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="40"/>
        <source>Shelve</source>
        <translation>搁置</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="41"/>
        <source>Unshelve</source>
        <translation>取消搁置</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="42"/>
        <source>Escalate</source>
        <translation>升级上报</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="43"/>
        <source>Hand down</source>
        <translation>下派</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="44"/>
        <source>Activate plan</source>
        <translation>启动预案</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="45"/>
        <source>Approve plan</source>
        <translation>批准预案</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="46"/>
        <source>Close plan</source>
        <translation>关闭预案</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="47"/>
        <source>Draw</source>
        <translation>标绘</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="48"/>
        <source>Change drawing</source>
        <translation>修改标绘</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="49"/>
        <source>Delete drawing</source>
        <translation>删除标绘</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="57"/>
        <source>dispatch units</source>
        <translation>调度力量</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="58"/>
        <source>call off units</source>
        <translation>撤回力量</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="59"/>
        <source>acknowledge alarms</source>
        <translation>确认告警</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="60"/>
        <source>close events</source>
        <translation>结案</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="61"/>
        <source>shelve alarms</source>
        <translation>搁置告警</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="62"/>
        <source>unshelve alarms</source>
        <translation>取消搁置告警</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="63"/>
        <source>escalate events</source>
        <translation>升级上报事件</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="64"/>
        <source>hand events down</source>
        <translation>下派事件</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="65"/>
        <source>activate plans</source>
        <translation>启动预案</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="66"/>
        <source>approve plans</source>
        <translation>批准预案</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="67"/>
        <source>close plans</source>
        <translation>关闭预案</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="68"/>
        <source>draw on the map</source>
        <translation>在地图上标绘</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="69"/>
        <source>change what is drawn on the map</source>
        <translation>修改地图上的标绘</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="70"/>
        <source>delete what is drawn on the map</source>
        <translation>删除地图上的标绘</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="77"/>
        <source>Accepted</source>
        <translation>已受理</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="78"/>
        <location filename="../../cockpit/present/words.py" line="92"/>
        <source>Dispatched</source>
        <translation>已调度</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="79"/>
        <source>Unit acknowledged</source>
        <translation>力量已确认</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="80"/>
        <source>En route</source>
        <translation>赶赴途中</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="81"/>
        <source>On scene</source>
        <translation>已到场</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="82"/>
        <source>Completed</source>
        <translation>已完成</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="83"/>
        <source>Failed</source>
        <translation>执行失败</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="84"/>
        <source>Cancelled</source>
        <translation>已取消</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="90"/>
        <source>New</source>
        <translation>待确认</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="91"/>
        <source>Acknowledged</source>
        <translation>已确认</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="93"/>
        <source>Resolved</source>
        <translation>已处置</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="94"/>
        <source>Closed</source>
        <translation>已结案</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="101"/>
        <source>your role may not do this</source>
        <translation>当前角色无此权限</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="102"/>
        <source>the event no longer exists</source>
        <translation>事件已不存在</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="103"/>
        <source>the event is closed</source>
        <translation>事件已结案</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="104"/>
        <source>the unit is unknown</source>
        <translation>未知力量</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="105"/>
        <source>the unit is busy</source>
        <translation>该力量正在执行任务</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="106"/>
        <source>a dispatch is still open</source>
        <translation>仍有调度未完成</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="107"/>
        <source>the backend restarted</source>
        <translation>后台已重启</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="108"/>
        <source>nothing to call off: the dispatch has ended</source>
        <translation>无可召回：该调度已结束</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="109"/>
        <source>the backend does not know this action</source>
        <translation>后端不识别此操作</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="110"/>
        <source>the alarm fired again since; look at it again</source>
        <translation>告警此后再次触发，请重新查看</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="111"/>
        <source>a reason is required</source>
        <translation>须填写原因</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="112"/>
        <source>longer than the longest shelf allowed</source>
        <translation>超过允许的最长搁置时长</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="113"/>
        <source>mandatory tasks are still open</source>
        <translation>仍有必办任务未完成</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="114"/>
        <source>a second person must approve</source>
        <translation>须由另一人批准</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="115"/>
        <source>already at the city centre</source>
        <translation>已在市级中心</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="116"/>
        <source>already at street level</source>
        <translation>已在街道级</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="117"/>
        <source>this plan already runs for the event</source>
        <translation>该事件已在执行此预案</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="118"/>
        <source>the plan is already closed</source>
        <translation>该预案已关闭</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="119"/>
        <source>the backend has no such plan</source>
        <translation>后端没有此预案</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="120"/>
        <source>the plan does not fit this event</source>
        <translation>该预案不适用于此事件</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="121"/>
        <source>the plan does not await approval</source>
        <translation>该预案不在待审批状态</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="122"/>
        <source>the backend could not read the command</source>
        <translation>后端无法解析该指令</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="123"/>
        <source>the event is outside your districts</source>
        <translation>该事件不在您的辖区内</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="124"/>
        <source>someone changed this drawing first</source>
        <translation>他人已先行修改此标绘</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="125"/>
        <source>someone deleted this drawing</source>
        <translation>他人已删除此标绘</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="126"/>
        <source>the backend has no such drawing</source>
        <translation>后端没有此标绘</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="127"/>
        <source>the drawing already exists</source>
        <translation>此标绘已存在</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="128"/>
        <source>the backend refused the shape</source>
        <translation>后端拒绝了此图形</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="129"/>
        <source>the backend refused the drawing</source>
        <translation>后端拒绝了此标绘</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="132"/>
        <source>refused by the backend (code {code})</source>
        <translation>被后端拒绝（代码 {code}）</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="140"/>
        <source>no operator token: log in with the token the site issued</source>
        <translation>缺少操作员令牌：请用本中心签发的令牌登录</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="141"/>
        <source>the operator token is not valid at this site: log in again</source>
        <translation>操作员令牌在本中心无效：请重新登录</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="142"/>
        <source>the operator token has expired: log in again</source>
        <translation>操作员令牌已过期：请重新登录</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="143"/>
        <source>the operator token has been revoked: ask the site for a new one</source>
        <translation>操作员令牌已被吊销：请向本站申请新令牌</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="144"/>
        <source>this operator has too many connections open</source>
        <translation>该操作员打开的连接过多</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="145"/>
        <source>the backend speaks another protocol version</source>
        <translation>后端协议版本不一致</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="148"/>
        <source>refused by the backend: {reason}</source>
        <translation>被后端拒绝：{reason}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="154"/>
        <source>Connecting</source>
        <translation>正在连接</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="155"/>
        <source>Resynchronising</source>
        <translation>正在重新同步</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="156"/>
        <source>Live</source>
        <translation>实时</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="157"/>
        <source>Stale: no new data</source>
        <translation>数据过期：无新数据</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="158"/>
        <source>Offline</source>
        <translation>离线</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="165"/>
        <source>queued, not sent: link down; sends when it is back</source>
        <translation>已排队，未发送：链路中断，恢复后发送</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="167"/>
        <source>held: waited too long offline; send anyway or discard</source>
        <translation>已暂扣：离线等待过久，可仍然发送或丢弃</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="169"/>
        <source>sent, waiting for the answer (try {n})</source>
        <translation>已发送，等待应答（第 {n} 次）</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="171"/>
        <source>no answer after {n} tries: still sending; it may have worked, do not repeat it</source>
        <translation>{n} 次无应答：仍在重发；指令可能已生效，请勿重复下达</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="173"/>
        <source>stopped sending: outcome unknown; check with the backend</source>
        <translation>已停止重发：结果未知；请向后端核实</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="176"/>
        <source>not sent: this is a replay</source>
        <translation>未发送：这是回放</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="177"/>
        <source>not sent: the backend restarted; check the event again</source>
        <translation>未发送：后台已重启，请重新核实事件</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="179"/>
        <source>discarded, not sent</source>
        <translation>已丢弃，未发送</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="181"/>
        <source>rejected: {reason}</source>
        <translation>被拒绝：{reason}</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="182"/>
        <location filename="../../cockpit/present/words.py" line="187"/>
        <location filename="../../cockpit/present/words.py" line="187"/>
        <source>accepted</source>
        <translation>已受理</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="194"/>
        <source>{n} s</source>
        <translation>{n} 秒</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="197"/>
        <source>{n} min</source>
        <translation>{n} 分钟</translation>
    </message>
    <message>
        <location filename="../../cockpit/present/words.py" line="198"/>
        <source>{h} h {m} min</source>
        <translation>{h} 小时 {m} 分钟</translation>
    </message>
</context>
</TS>
